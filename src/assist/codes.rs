//! Assist code tables (spec/assist.md §0.4, §1.3): receipt statuses (current and legacy sets),
//! the `errortext` codes of the fiscal-receipt page, the undated `errortext` messages, and the
//! (unpublished) firstcode table.
//!
//! Only what the sources say is written as the provider's text. Where Assist's page lists a
//! code without a captured text, `message` is empty and `meaning` says so; the action then
//! errs on the safe side (ask support, quoting the code and the text Assist returned).

use crate::codes::{Code, CodeTable, Outcome};
use crate::error::ErrorKind::Provider;

/// What the merchant should do about a receipt error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Advice {
    /// The cheque lines or totals are wrong: fix the items and fiscalize again.
    FixItems,
    /// The tax rate / taxation data is wrong or missing.
    FixTax,
    /// A request field is wrong or empty: fix the request.
    FixRequest,
    /// Transient: look the receipt up again later.
    RetryLater,
    /// Only Assist support can resolve it.
    ContactSupport,
}

impl Advice {
    pub const ALL: [Advice; 5] = [
        Advice::FixItems,
        Advice::FixTax,
        Advice::FixRequest,
        Advice::RetryLater,
        Advice::ContactSupport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Advice::FixItems => "fix_items",
            Advice::FixTax => "fix_tax",
            Advice::FixRequest => "fix_request",
            Advice::RetryLater => "retry_later",
            Advice::ContactSupport => "contact_support",
        }
    }

    /// Read back from the `action` text of a table entry (each starts with its advice).
    pub fn of(code: &Code) -> Advice {
        let action = code.action;
        Advice::ALL
            .into_iter()
            .find(|a| action.starts_with(a.lead()))
            .unwrap_or(Advice::ContactSupport)
    }

    fn lead(self) -> &'static str {
        match self {
            Advice::FixItems => "Fix the items",
            Advice::FixTax => "Fix the tax",
            Advice::FixRequest => "Fix the request",
            Advice::RetryLater => "Retry later",
            Advice::ContactSupport => "Contact Assist support",
        }
    }
}

const UNCAPTURED: &str = "Listed among the `errortext` codes on Assist's fiscal-receipt page; its text was not captured in the archived sources (spec/assist.md §0.4).";
const ASK_SUPPORT: &str = "Contact Assist support (support@assist.ru or your regional desk) quoting the code and the `errortext` Assist returned; do not fiscalize the same operation again until they answer.";

pub static RECEIPT_ERRORS: CodeTable = CodeTable {
    id: "receiptErrors",
    title: "Assist receipt `errortext` codes (fiscalreceipt)",
    entries: &[
        Code::new("19521", "Не получен статус фискального чека.", "The fiscal receipt's status was not received (from the fiscal data operator / cash register).")
            .kind(Provider)
            .retryable()
            .action("Retry later: look the receipt up again with `fiscalReceipt`; if the status does not change within several hours, contact Assist support."),
        Code::new("19511", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("19508", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("19506", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("19504", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("8006", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("1850", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("868", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("862", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("615", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("456", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("155", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
        Code::new("151", "", UNCAPTURED).kind(Provider).action(ASK_SUPPORT),
    ],
};

/// `errortext` messages printed on the same page without their ids; matched by text.
pub static RECEIPT_ERROR_TEXTS: CodeTable = CodeTable {
    id: "receiptErrorTexts",
    title: "Assist receipt `errortext` messages printed without an id (matched by text)",
    entries: &[
        Code::new("Ошибка в сумме позиции или сумме чека.", "Ошибка в сумме позиции или сумме чека.", "An item amount or the receipt total is wrong.")
            .kind(Provider)
            .action("Fix the items: every amount must be price × quantity to the cent and the amounts must add up to the total; then fiscalize again."),
        Code::new("Ошибка при работе с чеком.", "Ошибка при работе с чеком.", "An error while processing the receipt.")
            .kind(Provider)
            .action("Contact Assist support quoting the receipt id; do not fiscalize the same operation again until they answer."),
        Code::new("Неверный терминал.", "Неверный терминал.", "Wrong terminal (the merchant's cash-register / terminal setup).")
            .kind(Provider)
            .action("Contact Assist support: the merchant's fiscal terminal configuration is wrong."),
        Code::new("Ошибка формата ввода данных или незаполненное поле.", "Ошибка формата ввода данных или незаполненное поле.", "A data-format error or an empty required field.")
            .kind(Provider)
            .action("Fix the request: a field has the wrong format or is empty (check e-mail/phone, tax and item fields); then fiscalize again."),
        Code::new("Ошибка связи с процессинговым центром.", "Ошибка связи с процессинговым центром.", "Communication error with the processing centre.")
            .kind(Provider)
            .retryable()
            .action("Retry later: look the receipt up again; Assist resends on its side."),
    ],
};

pub static RECEIPT_STATUSES: CodeTable = CodeTable {
    id: "receiptStatuses",
    title: "Assist fiscal receipt statuses (`status`, case-insensitive)",
    entries: &[
        Code::new("New", "New", "Prepared for creation (intermediate).")
            .outcome(Outcome::Pending)
            .action("Look it up again later; if it stays New for several hours, contact Assist support."),
        Code::new("Success", "Success", "Created; all fiscal data and items are returned (final).")
            .outcome(Outcome::Success),
        Code::new("CreateError", "CreateError", "Error while creating: only the items and status are returned (final); the receipt cannot be sent as it is.")
            .outcome(Outcome::Failed)
            .action("Read `errortext`, correct the receipt and fiscalize again."),
        Code::new("Error", "Error", "Cheque error (intermediate); Assist retries by itself — no new fiscalization request is needed.")
            .outcome(Outcome::Pending)
            .action("Look it up again later; if it does not change within several hours, contact Assist support."),
        Code::new("ErrorRe", "ErrorRe", "Queued for resending (intermediate).")
            .outcome(Outcome::Pending)
            .action("Look it up again later."),
        Code::new("NotNeeded", "NotNeeded", "Service status: fiscalization was cancelled as not required; no receipt will be made (final).")
            .outcome(Outcome::Failed)
            .action("No receipt exists for this operation; fiscalize it (again) only if a receipt is in fact required."),
        Code::new("IN_PROGRESS", "IN_PROGRESS", "Legacy status (older page revision): being processed.")
            .outcome(Outcome::Pending)
            .action("Look it up again later."),
        Code::new("REQUESTED", "REQUESTED", "Legacy status (older page revision): requested from the cash register.")
            .outcome(Outcome::Pending)
            .action("Look it up again later."),
        Code::new("CREAREERROR", "CREAREERROR", "Legacy spelling (sic) of CreateError: creation failed (final).")
            .outcome(Outcome::Failed)
            .action("Read `errortext`, correct the receipt and fiscalize again."),
    ],
};

/// The firstcode/secondcode tables are not published (spec §0.4): every non-zero pair is a
/// provider error carrying both codes.
pub static ERRORS: CodeTable = CodeTable {
    id: "errors",
    title: "Assist firstcode values (the published tables were not found; non-zero = error)",
    entries: &[Code::new("0", "", "No error.")],
};

/// The status entry for a status value, whatever its case; legacy spellings resolved.
pub fn status(value: &str) -> Option<&'static Code> {
    let value = value.trim();
    RECEIPT_STATUSES.find_ignore_case(value).or_else(|| {
        // "IN PROGRESS" / "in-progress" spellings of the legacy value.
        let squashed: String = value
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        RECEIPT_STATUSES.entries.iter().find(|c| {
            c.code
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .eq_ignore_ascii_case(&squashed)
        })
    })
}

/// The canonical status a legacy spelling stands for (`CREAREERROR` → `CreateError`).
pub fn canonical_status(code: &'static Code) -> &'static str {
    match code.code {
        "CREAREERROR" => "CreateError",
        other => other,
    }
}

/// Explains an `errortext`: a leading numeric code (`19521`, `19521: ...`, `[19521] ...`) is
/// looked up in `receiptErrors`, otherwise the text in `receiptErrorTexts`.
pub fn explain_errortext(text: &str) -> Option<(Option<i64>, &'static Code)> {
    let trimmed = text.trim();
    let digits: String = trimmed
        .trim_start_matches(['[', '(', '#'])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let code = digits.parse::<i64>().ok().filter(|_| !digits.is_empty());
    if let Some(n) = code {
        if let Some(entry) = RECEIPT_ERRORS.find_int(n) {
            return Some((Some(n), entry));
        }
    }
    let normalized = |s: &str| s.trim().trim_end_matches('.').to_lowercase();
    let wanted = normalized(trimmed);
    RECEIPT_ERROR_TEXTS
        .entries
        .iter()
        .chain(RECEIPT_ERRORS.entries.iter())
        .find(|c| !c.message.is_empty() && wanted.contains(&normalized(c.message)))
        .map(|c| (code.or_else(|| c.code.parse().ok()), c))
}
