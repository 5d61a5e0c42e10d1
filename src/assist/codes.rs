//! Assist code tables: receipt statuses (seed 002's current set and the legacy spellings of
//! spec/assist.md §1.3), the `errortext` examples of seed 002 with what to do about each, and
//! the (unpublished) firstcode table.
//!
//! Only what the sources say is written as the provider's text: `message` is the exact text
//! of seed 002 (`../shared/spec/seeds/002_47bc3df26897549d.txt`), `meaning` its English
//! translation. The advice classes follow seed 002 as issue 11 reads it.

use crate::codes::{Code, CodeTable, Outcome};
use crate::error::ErrorKind::Provider;

/// What the merchant should do about a documented receipt error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advice {
    /// The data sent was wrong: correct the cheque and fiscalize again (seed 002, on
    /// `CreateError`: check the data, then send the corrected request again).
    CorrectAndFiscalizeAgain,
    /// Transient: look the receipt up again later.
    LookUpLater,
    /// The merchant's terminal at Assist is not set up: contact Assist.
    ContactAssist,
}

impl Advice {
    pub const ALL: [Advice; 3] = [
        Advice::CorrectAndFiscalizeAgain,
        Advice::LookUpLater,
        Advice::ContactAssist,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Advice::CorrectAndFiscalizeAgain => "correct_and_fiscalize_again",
            Advice::LookUpLater => "look_up_later",
            Advice::ContactAssist => "contact_assist",
        }
    }

    /// The action text of the class: every table entry of the class carries exactly this
    /// text, which is how the class is read back (`Advice::of`).
    pub const fn action(self) -> &'static str {
        match self {
            Advice::CorrectAndFiscalizeAgain => "Correct the cheque and fiscalize again: check the cheque items, the mandatory fiscal attributes and that the parameters agree with each other, then send the corrected request for fiscalization again (seed 002, on CreateError).",
            Advice::LookUpLater => "Transient: look the receipt up again later with `fiscalReceipt`; if it stays New for several hours, contact support@assist.kz (seed 002).",
            Advice::ContactAssist => "Terminal set-up: the merchant's terminal at Assist is wrong or missing; contact Assist (support@assist.kz) to have it set up, then fiscalize again.",
        }
    }

    /// The class of a table entry.
    pub fn of(code: &Code) -> Option<Advice> {
        Advice::ALL.into_iter().find(|a| a.action() == code.action)
    }
}

const fn errortext(
    id: &'static str,
    text: &'static str,
    meaning: &'static str,
    advice: Advice,
) -> Code {
    let code = Code::new(id, text, meaning)
        .kind(Provider)
        .action(advice.action());
    match advice {
        Advice::LookUpLater => code.retryable(),
        _ => code,
    }
}

use Advice::{ContactAssist, CorrectAndFiscalizeAgain as CorrectData, LookUpLater};

/// Seed 002's table "Примеры ошибок, которые могут быть получены в поле errortext", in its
/// order. Texts are verbatim, including the no-break space and space before «чека» of 19508.
#[rustfmt::skip]
pub static RECEIPT_ERRORS: CodeTable = CodeTable {
    id: "receiptErrors",
    title: "Assist receipt `errortext` examples (seed 002): ID, exact text, what to do",
    entries: &[
        errortext("19521", "Не получен статус фискального чека.", "The fiscal receipt's status was not received.", LookUpLater),
        errortext("19511", "Ошибка в описании позиций чека.", "Error in the description of the cheque items.", CorrectData),
        errortext("19508", "Ошибка в сумме позиции или сумме\u{a0} чека.", "Error in an item amount or in the cheque total.", CorrectData),
        errortext("19506", "Ошибка в параметре системы налогообложения.", "Error in the taxation system parameter.", CorrectData),
        errortext("19504", "Ошибка при работе с чеком.", "Error while processing the cheque.", CorrectData),
        errortext("8006", "Ошибка связи с процессинговым центром.", "Communication error with the processing centre.", LookUpLater),
        errortext("1850", "Некорректное значение ставки налога.", "Incorrect tax rate value.", CorrectData),
        errortext("868", "Сбой в системе.", "System failure.", LookUpLater),
        errortext("862", "Неверный тип данных.", "Wrong data type.", CorrectData),
        errortext("615", "Идентификатор (id) позиции чека не является уникальным.", "The identifier (id) of a cheque item is not unique.", CorrectData),
        errortext("456", "Неверный терминал.", "Wrong terminal.", ContactAssist),
        errortext("155", "Отсутствует терминал.", "No terminal.", ContactAssist),
        errortext("151", "Ошибка формата ввода данных или незаполненное поле.", "Data input format error or an empty field.", CorrectData),
    ],
};

const LEGACY_MEANING: &str = "Status of an older revision of Assist's page (spec/assist.md §1.3, source A1b), which lists the name without its meaning.";
const LEGACY_ACTION: &str = "Not final as far as the sources tell: look the receipt up again later; if it does not change for several hours, contact support@assist.kz. Do not fiscalize again on this status alone.";

/// Receipt statuses: the current set of seed 002 first, then the legacy spellings of the
/// older revision (marked `legacy`; `current` names the current status they stand for).
pub static RECEIPT_STATUSES: CodeTable = CodeTable {
    id: "receiptStatuses",
    title: "Assist fiscal receipt statuses (`status`; current set of seed 002, then legacy spellings)",
    entries: &[
        Code::new("New", "New", "The cheque is prepared for creation (seed 002).")
            .outcome(Outcome::Pending)
            .action("Look it up again later; if it stays New for several hours (especially with a non-empty errortext), contact support@assist.kz (seed 002)."),
        Code::new("Success", "Success", "The fiscal receipt was created; all fiscal data and the items are returned (seed 002).")
            .outcome(Outcome::Success),
        Code::new("CreateError", "CreateError", "An error occurred while creating the cheque: only the items and the status are returned; the cheque cannot be formed and sent for fiscalization (seed 002).")
            .outcome(Outcome::Failed)
            .action("Read errortext (see `receipt_error`), check the data sent (cheque items, mandatory fiscal attributes, consistent parameters), then send the corrected request for fiscalization again (seed 002)."),
        Code::new("NEW", "NEW", "Legacy spelling of New (spec/assist.md §1.3, source A1b).")
            .legacy_of("New")
            .outcome(Outcome::Pending)
            .action("As for New."),
        Code::new("IN_PROGRESS", "IN_PROGRESS", LEGACY_MEANING)
            .legacy()
            .outcome(Outcome::Pending)
            .action(LEGACY_ACTION),
        Code::new("REQUESTED", "REQUESTED", LEGACY_MEANING)
            .legacy()
            .outcome(Outcome::Pending)
            .action(LEGACY_ACTION),
        Code::new("ERRORRE", "ERRORRE", LEGACY_MEANING)
            .legacy()
            .outcome(Outcome::Pending)
            .action(LEGACY_ACTION),
        Code::new("SUCCESS", "SUCCESS", "Legacy spelling of Success (spec/assist.md §1.3, source A1b).")
            .legacy_of("Success")
            .outcome(Outcome::Success),
        Code::new("CREAREERROR", "CREAREERROR", "Legacy spelling (sic) of CreateError (spec/assist.md §1.3, source A1b).")
            .legacy_of("CreateError")
            .outcome(Outcome::Failed)
            .action("As for CreateError."),
        Code::new("ERROR", "ERROR", LEGACY_MEANING)
            .legacy()
            .outcome(Outcome::Pending)
            .action(LEGACY_ACTION),
    ],
};

/// The firstcode/secondcode tables are not published (spec §0.4): every non-zero pair is a
/// provider error carrying both codes.
pub static ERRORS: CodeTable = CodeTable {
    id: "errors",
    title: "Assist firstcode values (the published tables were not found; non-zero = error)",
    entries: &[Code::new("0", "", "No error.")],
};

fn alphanumeric(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

/// The status entry for a status value. Exact spellings first (so `NEW` is the legacy
/// entry and `New` the current one), then the current set ignoring case, then the legacy
/// spellings ignoring case and separators (`in progress`, `In-Progress`).
pub fn status(value: &str) -> Option<&'static Code> {
    let value = value.trim();
    let entries = RECEIPT_STATUSES.entries;
    entries
        .iter()
        .find(|c| c.code == value)
        .or_else(|| {
            entries
                .iter()
                .find(|c| !c.legacy && c.code.eq_ignore_ascii_case(value))
        })
        .or_else(|| {
            let squashed = alphanumeric(value);
            entries
                .iter()
                .find(|c| c.legacy && alphanumeric(c.code).eq_ignore_ascii_case(&squashed))
        })
}

/// The status a result reports for an entry: the current one a legacy spelling stands for,
/// else the entry's own spelling.
pub fn canonical_status(code: &'static Code) -> &'static str {
    code.current.unwrap_or(code.code)
}

/// The text as compared: surrounding and doubled whitespace folded, a trailing period
/// dropped, lower case.
fn comparable(text: &str) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    folded.trim_end_matches('.').trim_end().to_lowercase()
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ':' | '-' | '–' | '—' | '.' | ',' | ';')
}

/// An ID at the start (`19511`, `19511 Ошибка…`, `[19511] …`, `19511: …`) or at the end
/// (`Ошибка… (19511)`, `Ошибка… 19511`) of an errortext, and the text around it. A bare
/// number at the end is an ID only after a documented text: in `Ошибка в позиции 151` it is
/// part of Assist's sentence (an item number), not the ID 151.
fn split_id(text: &str) -> (Option<i64>, &str) {
    let trimmed = text.trim();
    // Leading: optional opening bracket, digits, optional closing bracket, separators.
    let after_open = trimmed.trim_start_matches(['[', '(', '#']);
    let digits_end = after_open
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(after_open.len());
    let (digits, rest) = after_open.split_at(digits_end);
    if !digits.is_empty() {
        if let Ok(id) = digits.parse::<i64>() {
            let rest = rest.trim_start_matches([']', ')']);
            return (Some(id), rest.trim_start_matches(is_separator).trim());
        }
    }
    // Trailing: digits, optionally in brackets, after a separator or an opening bracket.
    let before_close = trimmed.trim_end_matches([')', ']']);
    let digits_start = before_close
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit())
        .last()
        .map_or(before_close.len(), |(i, _)| i);
    let (head, digits) = before_close.split_at(digits_start);
    let bracketed = head.ends_with(['(', '[', '#']);
    let rest = head
        .trim_end_matches(['(', '[', '#'])
        .trim_end_matches(is_separator)
        .trim();
    let delimited = bracketed || (head.ends_with(is_separator) && entry_of_text(rest).is_some());
    if !digits.is_empty() && delimited {
        if let Ok(id) = digits.parse::<i64>() {
            return (Some(id), rest);
        }
    }
    (None, trimmed)
}

/// The entry whose text this is, compared ignoring case, surrounding and doubled spaces and a
/// trailing period.
fn entry_of_text(text: &str) -> Option<&'static Code> {
    let wanted = comparable(text);
    RECEIPT_ERRORS
        .entries
        .iter()
        .find(|c| comparable(c.message) == wanted)
}

/// Explains an `errortext`: its ID (when Assist sent one, or the documented one of a
/// matched text) and the seed-002 entry when the ID or the text is documented. A documented
/// ID decides; otherwise the text is compared ignoring case, surrounding and doubled spaces
/// and a trailing period. `None` entry = not among the documented examples.
pub fn explain_errortext(text: &str) -> (Option<i64>, Option<&'static Code>) {
    let (id, rest) = split_id(text);
    if let Some(entry) = id.and_then(|n| RECEIPT_ERRORS.find_int(n)) {
        return (id, Some(entry));
    }
    match entry_of_text(if rest.is_empty() { text } else { rest }) {
        Some(entry) => (entry.code.parse().ok(), Some(entry)),
        None => (id, None),
    }
}
