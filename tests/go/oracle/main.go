// The Go oracle for kassa's Tarlan signing: what a Go server does with a JSON body, written
// with nothing but the standard library, the way Tarlan's own Go example signs (spec/
// tarlan-agws.md §4.3): decode into map[string]interface{}, drop the top-level "" fields and
// additional_data, re-encode with encoding/json, sign hex(sha256(base64(json) + secret)).
//
// Modes:
//
//	oracle regen FILE            rewrites the outputs of tests/fixtures/go-canonical.json
//	oracle gen --seed N --count M  writes M generated JSON texts with Go's answers (below)
//
// gen writes one line per text, tab-separated, every text field base64 (so the readers need no
// JSON parser of their own):
//
//	n  flags  base64(text)  base64(canonical)  base64(signable)  signature
//
// flags lists "lone" when the text holds a lone UTF-16 surrogate escape (Go decodes it to
// U+FFFD; kassa refuses it by design) and "dup" when it repeats a top-level key on purpose,
// comma-separated, or is "-". When Go refuses the text, canonical and signable
// are "-" and signature is "go-error:" and the reason. The first line is "# go <version>".
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"runtime"
	"strings"
)

// canonical is encoding/json's text of the decoded value (nothing dropped).
func canonical(text string) (string, error) {
	var value interface{}
	if err := json.Unmarshal([]byte(text), &value); err != nil {
		return "", err
	}
	out, err := json.Marshal(value)
	return string(out), err
}

// signable is the text Tarlan signs: the body object without top-level "" fields and
// additional_data.
func signable(text string) (string, error) {
	var body map[string]interface{}
	if err := json.Unmarshal([]byte(text), &body); err != nil {
		return "", err
	}
	for key, value := range body {
		if s, ok := value.(string); (ok && s == "") || key == "additional_data" {
			delete(body, key)
		}
	}
	out, err := json.Marshal(body)
	return string(out), err
}

func sign(signableText, secret string) string {
	sum := sha256.Sum256([]byte(base64.StdEncoding.EncodeToString([]byte(signableText)) + secret))
	return hex.EncodeToString(sum[:])
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: oracle regen FILE | oracle gen --seed N --count M")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "regen":
		if len(os.Args) != 3 {
			fmt.Fprintln(os.Stderr, "usage: oracle regen FILE")
			os.Exit(2)
		}
		if err := regen(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "gen":
		flags := flag.NewFlagSet("gen", flag.ExitOnError)
		seed := flags.Int64("seed", 11, "generator seed")
		count := flags.Int("count", 10000, "number of texts")
		secret := flags.String("secret", "12345", "signing secret")
		_ = flags.Parse(os.Args[2:])
		out := bufio.NewWriterSize(os.Stdout, 1<<16)
		gen(out, *seed, *count, *secret)
		if err := out.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown mode %q\n", os.Args[1])
		os.Exit(2)
	}
}

// ---------------------------------------------------------------------------------------
// regen: the fixture's inputs are kept, every output is Go's.

type fixture struct {
	Comment    string      `json:"_comment"`
	Numbers    [][2]string `json:"numbers"`
	Strings    [][2]string `json:"strings"`
	Objects    [][2]string `json:"objects"`
	Signatures [][3]string `json:"signatures"`
}

func regen(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var fx fixture
	if err := json.Unmarshal(raw, &fx); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	for _, group := range [][][2]string{fx.Numbers, fx.Strings, fx.Objects} {
		for i := range group {
			out, err := canonical(group[i][0])
			if err != nil {
				return fmt.Errorf("%q: %w", group[i][0], err)
			}
			group[i][1] = out
		}
	}
	for i := range fx.Signatures {
		signed, err := signable(fx.Signatures[i][0])
		if err != nil {
			return fmt.Errorf("%q: %w", fx.Signatures[i][0], err)
		}
		fx.Signatures[i][2] = sign(signed, fx.Signatures[i][1])
	}
	fx.Comment = "Written by tests/go/oracle (" + runtime.Version() + ", scripts/regen-go-canonical.sh): " +
		"numbers/strings/objects are [input JSON text, what encoding/json prints after decoding it into interface{}]; " +
		"signatures are [body, secret, hex(sha256(base64(json.Marshal(body without top-level \"\" fields and additional_data)) + secret))]. " +
		"Inputs are edited by hand, outputs only by the oracle."
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(fx); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// ---------------------------------------------------------------------------------------
// gen: generated texts covering what Go's decoder and encoder treat specially.

type generator struct {
	r    *rand.Rand
	lone bool // a lone surrogate was written into the current text
	dup  bool // the current text repeats a top-level key on purpose
}

func (g *generator) pick(options ...string) string { return options[g.r.Intn(len(options))] }

func (g *generator) ws() string {
	if g.r.Intn(3) > 0 {
		return ""
	}
	return g.pick(" ", "\n", "\t", "\r\n", "  ", " \t ")
}

// Number literals: ±0 in every spelling, integers around and beyond 2^53 and 2^64, the
// format switches of encoding/json at 1e21 and 1e-6 (exponent form from 1e21 and below
// 1e-6), exponents in every spelling, underflow to 0, and random decimals.
var boundaryNumbers = []string{
	"0", "-0", "0.0", "-0.0", "-0e0", "0e-10", "0E+5", "-0.000",
	"9007199254740991", "9007199254740992", "9007199254740993", "-9007199254740993", "9007199254740995",
	"18446744073709551615", "18446744073709551616", "12345678901234567890", "123456789012345678901234567890",
	"99999999999999999999", "100000000000000000000", "999999999999999999999", "1000000000000000000000",
	"1e20", "1e21", "1E21", "1e+21", "1.0e21", "9.999999999999999e20", "9.9999999999999999e20", "1.5e21", "-1e21", "1e22",
	"0.000001", "1e-6", "0.0000001", "1e-7", "1E-7", "1e-07", "9.99999e-7", "0.00000099", "-1e-7", "0.0000012345",
	"1e2", "1E+2", "1e+02", "1.5e300", "-2.5E-300", "5e-324", "4.9e-324", "1e-400", "-1e-400",
	"1.7976931348623157e308", "0.1", "0.2", "0.30000000000000004", "100.0", "100.00", "10.420", "1.23456789012345678",
	"123e-2", "1500.50", "-1.5", "2.5e-5", "6.02214076e23", "1e100",
}

func (g *generator) digits(n int, leadingNonZero bool) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		d := g.r.Intn(10)
		if i == 0 && leadingNonZero && d == 0 {
			d = 1 + g.r.Intn(9)
		}
		b.WriteByte(byte('0' + d))
	}
	return b.String()
}

func (g *generator) number() string {
	switch g.r.Intn(4) {
	case 0:
		return boundaryNumbers[g.r.Intn(len(boundaryNumbers))]
	case 1: // integers of 1 to 30 digits: beyond 2^53 from 16 digits on
		sign := g.pick("", "", "-")
		n := 1 + g.r.Intn(30)
		if n == 1 {
			return sign + g.digits(1, false)
		}
		return sign + g.digits(n, true)
	default: // decimals, with or without an exponent
		var b strings.Builder
		b.WriteString(g.pick("", "", "-"))
		if g.r.Intn(3) == 0 {
			b.WriteString("0")
		} else {
			b.WriteString(g.digits(1+g.r.Intn(12), true))
		}
		if g.r.Intn(3) > 0 {
			b.WriteString(".")
			b.WriteString(g.digits(1+g.r.Intn(18), false))
		}
		if g.r.Intn(2) == 0 {
			b.WriteString(g.pick("e", "E"))
			b.WriteString(g.pick("", "+", "-"))
			b.WriteString(fmt.Sprint(g.r.Intn(330)))
		}
		return b.String()
	}
}

// String pieces: every JSON escape, every control character escaped, the characters Go
// escapes for HTML and JavaScript (< > & U+2028 U+2029) raw and escaped, non-ASCII raw and
// as \u escapes, surrogate pairs, DEL, and — in some texts — lone surrogates.
var stringPieces = []string{
	`a`, `Z`, `0`, `hello`, `Иван`, `ж`, `é`, `中文`, `😀`, `💳`, `ß`, `\u00e9`, `\u0418\u0432\u0430\u043d`, `\u4e2d`,
	`\ud83d\ude00`, `\uD83D\uDCB3`, `\"`, `\\`, `\/`, `/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u0000`, `\u0001`, `\u0007`,
	`\u0008`, `\u000b`, `\u000c`, `\u000e`, `\u001f`, `\u0020`, `\u007f`, "\u007f", `<`, `>`, `&`, `\u003c`, `\u003E`,
	`\u0026`, "\u2028", "\u2029", `\u2028`, `\u2029`, `\u2027`, `\u202a`, `\u00a0`, "\u00a0", `\uFEFF`, "\uFEFF",
	`\uffff`, "\U0010FFFF", `\udbff\udfff`, ` `, `  `, `https://x.kz/a?b=1&c=<2>`, `+`, `=`, `%`, `'`, "`", `\u0041`,
}

var loneSurrogates = []string{`\ud800`, `\udfff`, `\uD83D`, `\udc00x`, `\ud83dA`, `\ud83d\u0041`, `\ude00\ud83d`, `\ud800\ud800`}

func (g *generator) stringBody(allowLone bool) string {
	var b strings.Builder
	for n := g.r.Intn(6); n > 0; n-- {
		if allowLone && g.r.Intn(60) == 0 {
			b.WriteString(loneSurrogates[g.r.Intn(len(loneSurrogates))])
			g.lone = true
			continue
		}
		b.WriteString(stringPieces[g.r.Intn(len(stringPieces))])
	}
	return b.String()
}

func (g *generator) str(allowLone bool) string { return `"` + g.stringBody(allowLone) + `"` }

// Keys come from a small pool (so objects repeat keys, also spelled differently: "a" and
// "\u0061" are the same key to Go) or are random strings.
var keyPool = []string{`a`, `\u0061`, `b`, `B`, `_`, `amount`, `amount`, `external_id`, `é`, `\u00e9`, `я`, `z`, `a b`, `1`, `<k>`, ``}

func (g *generator) key(allowLone bool) string {
	if g.r.Intn(3) > 0 {
		return `"` + keyPool[g.r.Intn(len(keyPool))] + `"`
	}
	return g.str(allowLone)
}

func (g *generator) value(depth int, allowLone bool) string {
	choice := g.r.Intn(10)
	if depth >= 5 && choice >= 8 {
		choice = g.r.Intn(8)
	}
	switch choice {
	case 0, 1, 2:
		return g.number()
	case 3, 4, 5:
		return g.str(allowLone)
	case 6:
		return g.pick("true", "false", "null", `""`)
	case 7:
		return g.pick(`""`, `{}`, `[]`, `0`, `-0`, `"x"`)
	case 8:
		return g.object(depth+1, allowLone, false)
	default:
		return g.array(depth+1, allowLone)
	}
}

func (g *generator) array(depth int, allowLone bool) string {
	var b strings.Builder
	b.WriteString("[" + g.ws())
	for i, n := 0, g.r.Intn(5); i < n; i++ {
		if i > 0 {
			b.WriteString(g.ws() + "," + g.ws())
		}
		b.WriteString(g.value(depth, allowLone))
	}
	b.WriteString(g.ws() + "]")
	return b.String()
}

// object writes members; at the top level also `additional_data` (never signed) and fields
// that are "" (dropped from the signature), sometimes repeated so the last one decides.
func (g *generator) object(depth int, allowLone, top bool) string {
	type member struct{ key, value string }
	var members []member
	for n := g.r.Intn(6); n > 0; n-- {
		members = append(members, member{g.key(allowLone), g.value(depth, allowLone)})
	}
	if top {
		if g.r.Intn(3) == 0 {
			members = append(members, member{`"additional_data"`, g.value(depth, allowLone)})
		}
		if g.r.Intn(3) == 0 {
			members = append(members, member{g.key(allowLone), `""`})
		}
		if g.r.Intn(4) == 0 && len(members) > 0 { // a key repeated with another value
			members = append(members, member{members[g.r.Intn(len(members))].key, g.value(depth, allowLone)})
			g.dup = true
		}
		g.r.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
	}
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = m.key + g.ws() + ":" + g.ws() + m.value
	}
	return "{" + g.ws() + strings.Join(parts, g.ws()+","+g.ws()) + g.ws() + "}"
}

func gen(out *bufio.Writer, seed int64, count int, secret string) {
	g := &generator{r: rand.New(rand.NewSource(seed))}
	b64 := base64.StdEncoding.EncodeToString
	fmt.Fprintf(out, "# go %s seed %d count %d secret %s\n", runtime.Version(), seed, count, secret)
	for n := 0; n < count; n++ {
		g.lone, g.dup = false, false
		allowLone := n%25 == 7 // lone surrogates only in some texts, so the rest are comparable
		text := g.ws() + g.object(0, allowLone, true) + g.ws()
		var marks []string
		if g.lone {
			marks = append(marks, "lone")
		}
		if g.dup {
			marks = append(marks, "dup")
		}
		flags := strings.Join(marks, ",")
		if flags == "" {
			flags = "-"
		}
		whole, err := canonical(text)
		if err != nil {
			fmt.Fprintf(out, "%d\t%s\t%s\t-\t-\tgo-error:%s\n", n, flags, b64([]byte(text)), strings.ReplaceAll(err.Error(), "\t", " "))
			continue
		}
		signed, err := signable(text)
		if err != nil {
			fmt.Fprintf(out, "%d\t%s\t%s\t-\t-\tgo-error:%s\n", n, flags, b64([]byte(text)), strings.ReplaceAll(err.Error(), "\t", " "))
			continue
		}
		fmt.Fprintf(out, "%d\t%s\t%s\t%s\t%s\t%s\n", n, flags, b64([]byte(text)), b64([]byte(whole)), b64([]byte(signed)), sign(signed, secret))
	}
}
