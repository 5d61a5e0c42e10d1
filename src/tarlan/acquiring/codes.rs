//! Acquiring code tables, as published (spec/tarlan-acquiring.md §6.2, §7.1, §7.2): error
//! codes (plus the ones the examples use without listing them), transaction types and
//! transaction statuses with the outcome each one means for the caller.

use crate::codes::{Code, CodeTable, Outcome};
use crate::error::ErrorKind::{Provider, Signature, Validation};

/// The code a repeated `project_reference_id` is refused with.
pub const DUPLICATE: i64 = 5000;
/// "transaction not found": what `status` answers for a reference it does not know.
pub const NOT_FOUND: i64 = 5103;

pub static ERRORS: CodeTable = CodeTable {
    id: "errors",
    title: "Acquiring error codes (`status_code` of a `status:false` answer)",
    entries: &[
        Code::new("0", "Success", "The request has been processed successfully"),
        Code::new("1021", "request validation error", "A request field failed validation (HTTP 400)")
            .kind(Validation)
            .action("A field has the wrong type or format, or a required one is missing; compare the request with the operation's documented params."),
        Code::new("5102", "undefined transaction type", "Unknown transaction type (HTTP 404); the upper-fee example also uses it as \"commission not found\"")
            .kind(Validation)
            .action("Use a documented transaction type code (see `transactionTypes`); for `upperFee`, no commission is configured for this type: ask Tarlan."),
        Code::new("8301", "unexpected db error", "Unidentified error while processing the resource (HTTP 500)")
            .kind(Provider)
            .retryable()
            .action("Retry later; a money-moving request must first be checked with `status`. If it persists, contact Tarlan support."),
        Code::new("5400", "couldn't receive project data", "Error while fetching the project data (HTTP 500)")
            .kind(Provider)
            .retryable()
            .action("Retry later; if it persists, check merchantId/projectId with Tarlan."),
        Code::new("5406", "invalid project secret", "Wrong hash: the Authorization signature does not match the request (HTTP 400)")
            .kind(Signature)
            .action("Check that `secret` is this project's secret (sandbox and production secrets differ) and that merchantId/projectId belong to it; kassa signs exactly the bytes it sends. If the body has non-ASCII or &<> characters, try `signatureEscaping`."),
        Code::new("8008", "project doesn't exist", "Project not found (HTTP 404)")
            .kind(Provider)
            .action("Check the `projectId` option (and that it belongs to this environment: sandbox and production ids differ)."),
        Code::new("5000", "transaction already exists", "A transaction with this project_reference_id already exists (HTTP 400): a duplicate")
            .kind(Provider)
            .action("This order id was used before: do not create a new payment for the same order — ask `status` with this project_reference_id for its state, or use a new id for a genuinely new payment."),
        Code::new("5101", "undefined transaction status", "Unknown transaction status (HTTP 404)")
            .kind(Provider)
            .action("Contact Tarlan support with the transaction id."),
        Code::new("5107", "transaction limit doesn't exist", "Transaction limits are not configured for the project (HTTP 404)")
            .kind(Provider)
            .action("Ask Tarlan to configure the project's transaction limits."),
        Code::new("5006", "transaction amount limit is over", "The amount exceeds the project's limit (HTTP 400)")
            .kind(Provider)
            .action("Lower the amount or ask Tarlan to raise the limit."),
        Code::new("5003", "an error occurred while creating transaction", "Error while creating the transaction (HTTP 500)")
            .kind(Provider)
            .retryable()
            .action("Retry later; for a money-moving request ask `status` first."),
        Code::new("5202", "request failed", "The gateway's request to the project (the confirm_url check) failed (HTTP 500)")
            .kind(Provider)
            .action("Your confirm_url did not answer HTTP 200 with a valid reply: check it (see `confirmReply`)."),
        Code::new("1022", "couldn't parse response body", "An incorrect response was received, e.g. from the merchant's confirm_url (HTTP 500)")
            .kind(Provider)
            .action("Your confirm_url answered a body Tarlan could not parse: answer with `confirmReply`."),
        Code::new("5205", "unavailable project server", "The merchant server was unavailable during the confirmation request (HTTP 500)")
            .kind(Provider)
            .action("Make sure your confirm_url is reachable from the internet and answers quickly."),
        Code::new("3108", "card doesn't exist", "Card not found (HTTP 500; the published message has a trailing space)")
            .kind(Provider)
            .action("The card token is unknown or was removed: list the client's cards with `cards`."),
        Code::new("3010", "inoperable transaction status for this method", "The transaction's status does not allow this operation, e.g. a (repeated) refund (HTTP 400)")
            .kind(Provider)
            .action("Check the transaction's state with `status`: it may already be refunded, not yet successful, or not authorized (charge)."),
        Code::new("5103", "transaction not found", "Transaction not found (used by the status and refund examples, not in the table)")
            .kind(Provider)
            .action("Check project_reference_id and type (status) or transaction_id (refund, charge); for status, no transaction with this id exists, so it was never created."),
        Code::new("1014", "Invalid signature", "The signature has been made incorrectly (the AGWS-host code; listed in case the gateway answers it)")
            .kind(Signature)
            .action("Check that `secret` is this project's secret and that the body was not changed after signing."),
    ],
};

pub static TRANSACTION_TYPES: CodeTable = CodeTable {
    id: "transactionTypes",
    title: "Acquiring transaction types (`type`, `transaction_type_code`, webhook `type_code`, status `transaction_type.code`)",
    entries: &[
        Code::new("in", "Pay-in", "Debit from the user's card (pay-in)"),
        Code::new("out", "Pay-out", "Withdrawal from the project account to the user's card (pay-out)"),
        Code::new("one_click_pay_in", "One-click pay-in", "Debit from the user's saved card"),
        Code::new("one_click_pay_out", "One-click pay-out", "Withdrawal to the user's saved card"),
        Code::new("refund", "Refund", "Refund (English table only)"),
        Code::new("google_pay", "Google Pay", "Payment via Google Pay"),
        Code::new("apple_pay", "Apple Pay", "Payment via Apple Pay"),
        Code::new("card_link", "Card link", "Linking the user's card (for payments without acceptance)"),
        Code::new("two_stage_pay_in", "Two-stage pay-in", "Two-stage debit from the user's card (Russian table only)"),
    ],
};

pub static TRANSACTION_STATUSES: CodeTable = CodeTable {
    id: "transactionStatuses",
    title: "Acquiring transaction statuses (`transaction_status.code`, webhook `status_code`, one-click `transaction_status_code`)",
    entries: &[
        Code::new("new", "Transaction created", "Status upon creation")
            .outcome(Outcome::Pending)
            .action("Wait for the webhook, or poll `status`."),
        Code::new("processed", "Transaction in progress", "The user pressed Pay and all validations passed")
            .outcome(Outcome::Pending)
            .action("Wait for the webhook, or poll `status`."),
        Code::new("threeds_waiting", "Transaction in wait for a response from the 3ds server", "Pending 3-D Secure")
            .outcome(Outcome::Pending)
            .action("Wait for the webhook, or poll `status`."),
        Code::new("threeds_received", "Transaction received a response from the 3ds server", "The 3-D Secure answer was received")
            .outcome(Outcome::Pending)
            .action("Wait for the webhook, or poll `status`."),
        Code::new("failed", "Transaction failed", "Error on the acquiring bank side (final); bank_code/bank_message say why")
            .outcome(Outcome::Failed)
            .action("Do not fulfil the order; the customer may pay again with a new project_reference_id."),
        Code::new("refund", "Transaction refunded", "The money was refunded to the user's card (final)")
            .outcome(Outcome::Failed)
            .action("The money went back to the customer: do not fulfil (or reverse) the order."),
        Code::new("canceled", "Transaction cancelled", "Rollback in a two-stage payment (final)")
            .outcome(Outcome::Failed)
            .action("The hold was released: do not fulfil the order."),
        Code::new("retry", "Transaction in repeat status", "Repeated payment attempt after a user input error")
            .outcome(Outcome::Pending)
            .action("Wait for the webhook, or poll `status`."),
        Code::new("success", "Transaction completed successfully", "Pay-in: debited; pay-out: credited (final, may later become refund)")
            .outcome(Outcome::Success),
        Code::new("holded", "Transaction in the pending status", "Pending the acquiring bank's response")
            .outcome(Outcome::Pending)
            .action("Wait for the webhook, or poll `status`."),
        Code::new("refund_waiting", "Transaction in the status of pending refund", "A refund was initiated and is pending")
            .outcome(Outcome::Pending)
            .action("Wait for the refund to complete; poll `status`."),
        Code::new("authorized", "Transaction authorized", "Funds are on hold (two-stage payment)")
            .outcome(Outcome::Pending)
            .action("Complete it with `charge` (or let it be cancelled)."),
        // Its finality is not documented (spec/tarlan-acquiring.md §7.2: "yes (unclear)", and
        // Tarlan's WooCommerce plugin keeps it pending). Reading it as failed invites a second
        // charge of a payment that may still go through: it stays pending.
        Code::new("error", "An error occurred during the transaction", "Processing error; the docs do not say whether it is final")
            .outcome(Outcome::Pending)
            .action("Do not fulfil the order and do not charge again: poll `status` (or wait for the webhook); if it stays `error`, contact Tarlan support with the transaction id before taking the payment again."),
    ],
};

/// The outcome of a status code; codes not in the table are pending (never a false success).
pub fn status_outcome(code: &str) -> Outcome {
    TRANSACTION_STATUSES
        .find_ignore_case(code.trim())
        .and_then(|entry| entry.outcome)
        .unwrap_or(Outcome::Pending)
}
