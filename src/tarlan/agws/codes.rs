//! AGWS code tables, as published (spec/tarlan-agws.md §5): error codes, transaction
//! statuses, account statuses and rejection reasons.

use crate::codes::{Code, CodeTable, Outcome};
use crate::error::ErrorKind::{Provider, Signature, Validation};

pub static ERRORS: CodeTable = CodeTable {
    id: "errors",
    title: "AGWS error codes",
    entries: &[
        Code::new("0", "Success", "The request has been processed successfully"),
        Code::new("8301", "Unexpected db error", "Unidentified error occurred during processing resource")
            .kind(Provider)
            .retryable()
            .action("Retry later; if it persists, contact support@tarlanpayments.kz."),
        Code::new("1407", "Cache: item not found", "The requested resource not found")
            .kind(Provider)
            .action("Check the username and service_code; the account may not exist at the provider."),
        Code::new("1041", "Order not found", "Payment with the specified identifier not found")
            .kind(Provider)
            .action("No payment exists with this external_id: it was never created, so it is safe to send cash-in again with the same external_id."),
        Code::new("1042", "duplicate external id", "Repeated payment with the same identifier")
            .kind(Provider)
            .action("A payment with this external_id already exists: do not create a new one, ask `status` for its state."),
        Code::new("9718", "provider not found", "The requested provider not found")
            .kind(Provider)
            .action("Check the service / service_code value."),
        Code::new("8015", "account doesn't exist", "The requested account not found")
            .kind(Provider)
            .action("Check the username (account identifier at the service provider)."),
        Code::new("9427", "showcase not found", "The requested showcase not found")
            .kind(Provider)
            .action("Check the `agent` (showcase code) issued by Tarlan."),
        Code::new("9724", "showcase not found", "The requested showcase not found (code as printed in the markdown copy of the docs)")
            .kind(Provider)
            .action("Check the `agent` (showcase code) issued by Tarlan."),
        Code::new("9721", "showcase service not found", "The requested showcase service not found")
            .kind(Provider)
            .action("Check service_code: the service is not connected to this showcase."),
        Code::new("5103", "transaction not found", "The requested transaction not found")
            .kind(Provider)
            .action("Check the external_id."),
        Code::new("5413", "transaction already finished", "The requested transaction is finalized")
            .kind(Provider)
            .action("The payment is already final; read its state with `status` instead of confirming it again."),
        Code::new("8008", "project doesn't exist", "The requested project not found")
            .kind(Provider)
            .action("Check the `project` code assigned by Tarlan."),
        Code::new("1410", "not enough balance", "Insufficient funds on the showcase balance")
            .kind(Provider)
            .action("Top up the showcase balance (see `balance`) before paying."),
        Code::new("500", "Internal Server Error", "Unidentified server error")
            .kind(Provider)
            .retryable()
            .action("Retry later; a money-moving request must first be checked with `status`."),
        Code::new("1014", "Invalid signature", "The signature has been made incorrectly")
            .kind(Signature)
            .action("Check that `secret` is the AGWS secret_key and that the body was not changed after signing (kassa signs exactly the bytes it sends); `kassa diagnose` shows which common mistake a hand-made signature contains."),
        Code::new("1021", "request validation error", "Invalid request body")
            .kind(Validation)
            .action("A field has the wrong type or format; compare the request with the operation's documented params."),
        Code::new("1404", "Invalid action request", "Field value not passed")
            .kind(Validation)
            .action("A required field is missing or empty."),
        Code::new("999999", "Unknown error", "Unidentified error")
            .kind(Provider)
            .retryable()
            .action("Retry later; if it persists, contact support@tarlanpayments.kz."),
        Code::new("1881", "provider doesn't exists", "The payment link provider does not exist (seen in the payment-link example, not in the table)")
            .kind(Provider)
            .action("Check the `service` value of the payment link."),
        Code::new("5010", "Internal Server Error", "Internal error (legacy test/check example)")
            .kind(Provider)
            .retryable()
            .action("Retry later."),
    ],
};

pub static TRANSACTION_STATUSES: CodeTable = CodeTable {
    id: "transactionStatuses",
    title: "AGWS transaction statuses (`data.status_code`, a string)",
    entries: &[
        Code::new("1", "Transaction created", "The transaction has been created (intermediate)")
            .outcome(Outcome::Pending)
            .action("Poll `status` until final or wait for the callback."),
        Code::new("2", "Transaction successfully processed", "The transaction has been processed successfully (final)")
            .outcome(Outcome::Success),
        Code::new("3", "Transaction was canceled by user", "The transaction was canceled by user (final)")
            .outcome(Outcome::Failed),
        Code::new("4", "Transaction was failed", "The transaction has not been completed successfully (final); see fail_reason")
            .outcome(Outcome::Failed),
        Code::new("5", "Transaction holded by service provider", "The transaction is pending at the service provider (intermediate)")
            .outcome(Outcome::Pending)
            .action("Poll `status` until final or wait for the callback."),
        Code::new("6", "Transaction finished with error", "Completed with an unforeseen error; the real state must be settled with Tarlan support")
            .outcome(Outcome::Pending)
            .action("Do not repeat the payment: ask support@tarlanpayments.kz for the final state of this external_id."),
        Code::new("7", "Transaction is in progress", "Transaction is in progress and will be completed after a while (intermediate)")
            .outcome(Outcome::Pending)
            .action("Poll `status` until final or wait for the callback."),
    ],
};

pub static ACCOUNT_STATUSES: CodeTable = CodeTable {
    id: "accountStatuses",
    title: "AGWS account statuses (`account_status`)",
    entries: &[
        Code::new("0", "The account cannot be filled", "Top-up is not possible for this account"),
        Code::new("1", "The account can be filled", "The account exists and can be topped up"),
        Code::new("2", "Account not verified", "The provider could not verify the account; paying is possible if you are sure of the parameters"),
    ],
};

pub static FAIL_REASONS: CodeTable = CodeTable {
    id: "failReasons",
    title: "AGWS reasons for operation rejection (`fail_reason.code`)",
    entries: &[
        Code::new("100", "Unknown reason, clarification required", "Unknown reason, clarification required").action("Contact Tarlan support."),
        Code::new("101", "Error on the service provider side", "Error on the service provider side").action("Retry later with a new payment."),
        Code::new("102", "Request validation error", "Request validation error").action("Fix the request fields."),
        Code::new("103", "A payment with the specified ID already exists in the system", "Duplicate payment id").action("Use `status` for the existing payment."),
        Code::new("104", "Transaction with the specified ID is not found in the system", "Transaction not found").action("Check the external_id."),
        Code::new("105", "Authorization error", "Authorization error").action("Check credentials with Tarlan."),
        Code::new("106", "Verification via the provider's server is unavailable. You can make a payment if you are confident in the parameters", "Provider verification unavailable").action("Pay only if you are sure of the account."),
        Code::new("107", "Transaction failed by timeout", "Transaction failed by timeout").action("Create a new payment if the customer still wants to pay."),
        Code::new("200", "Insufficient balance", "Insufficient balance").action("Top up and pay again with a new external_id."),
        Code::new("201", "Invalid ID format", "The account identifier has the wrong format").action("Fix the username."),
        Code::new("202", "Unverified account", "Unverified account").action("The customer must verify the account."),
        Code::new("203", "Phone number not available for top-up", "Phone number not available for top-up").action("Use another number."),
        Code::new("204", "Operation limit exceeded for a user with simplified identification", "Limit for simplified identification exceeded").action("Lower the amount or identify the user."),
        Code::new("205", "Operation limit exceeded for an identified user", "Limit for identified user exceeded").action("Lower the amount."),
        Code::new("206", "Operation limit exceeded for an unidentified user", "Limit for unidentified user exceeded").action("Lower the amount or identify the user."),
        Code::new("207", "Invoices are not yet generated. The provider may generate new month invoices during a period when they cannot be obtained.", "Invoices not generated yet").action("Retry later."),
        Code::new("300", "The payment amount is too large", "Amount too large").action("Lower the amount."),
        Code::new("301", "Limit exceeded", "Limit exceeded").action("Lower the amount."),
        Code::new("302", "Incorrect payment amount", "Incorrect payment amount").action("Fix the amount."),
        Code::new("303", "The payment amount is less than the minimum value", "Amount below minimum").action("Raise the amount."),
        Code::new("304", "Amount out of acceptable range", "Amount out of range").action("Fix the amount."),
        Code::new("400", "Receiving two confirmation requests for the same operation with a minimal interval", "Duplicate confirmation").action("Wait and check `status`."),
        Code::new("401", "Transaction lifespan expired", "Transaction lifetime expired").action("Create a new payment."),
        Code::new("402", "Incorrect confirmation code", "Wrong confirmation code").action("Ask the customer for the right code."),
        Code::new("403", "The service has already been paid", "Already paid").action("Nothing to pay."),
        Code::new("404", "The specified zone does not exist", "Unknown parking zone").action("Fix the zone."),
        Code::new("405", "The specified zone is inactive", "Inactive parking zone").action("Choose an active zone."),
        Code::new("406", "A parameter required for payment is missing", "Missing payment parameter").action("Add the missing parameter."),
        Code::new("407", "Exceeded the number of confirmation code attempts", "Too many confirmation attempts").action("Start a new payment."),
    ],
};
