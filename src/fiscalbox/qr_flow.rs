//! The QR-wallet sale (spec/fiscalbox.md §1 "Typical flow", §9) as one sans-IO sequence:
//!
//! 1. the wallet payment — `click` / `payme` / `uzum` / `anor` with the customer's QR code;
//! 2. `orderCreate` — the fiscal receipt, with the payment in `received_card` and
//!    `extra_info` {`qr_payment_id`, `qr_payment_provider`, `phone_number`};
//! 3. the provider's confirmation — `clickConfirm` / `paymeConfirm` / `uzumConfirm` /
//!    `anorConfirm` with the receipt's Soliq link (`qr_url`).
//!
//! Money rules:
//! - the order and payment params are validated before anything is sent, so a bad receipt
//!   field never surfaces after the customer has paid;
//! - the payment is sent exactly once. There is no status call for these wallets: when its
//!   outcome is unknown (timeout, lost answer, unreadable answer, pending) the flow stops with
//!   `unknown_outcome` carrying `qr_code` and `amount` (and `payment_id` when known);
//! - a lost `orderCreate` answer is resolved through `orderLast` (the device's last receipt
//!   is ours when its `uuid` or `QrPaymentID` matches), never by sending it again — unless
//!   the option `resendReceiptIfAbsent` says a different last receipt proves ours is absent;
//! - every failure after the payment says which step failed, which steps completed, what is
//!   safe to run again, and carries `details.resume`: pass it back as `params.resume` and the
//!   flow continues from the failed step without charging the customer again.

use crate::error::{ErrorKind, KassaError, Result};
use crate::flow::{Flow, FlowClient, FlowDef, Step};
use crate::json::{Json, Map};
use crate::operation::BuildCtx;
use crate::schema::native_only;

/// One QR wallet: its payment op, its confirm op, its `qr_payment_provider` code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wallet {
    pub payment: &'static str,
    pub confirm: &'static str,
    pub code: i64,
    pub title: &'static str,
}

pub const WALLETS: [Wallet; 4] = [
    Wallet {
        payment: "anor",
        confirm: "anorConfirm",
        code: 187,
        title: "Anorbank",
    },
    Wallet {
        payment: "click",
        confirm: "clickConfirm",
        code: 64,
        title: "Click",
    },
    Wallet {
        payment: "payme",
        confirm: "paymeConfirm",
        code: 141,
        title: "Payme",
    },
    Wallet {
        payment: "uzum",
        confirm: "uzumConfirm",
        code: 161,
        title: "Uzum",
    },
];

pub fn wallet(name: &str) -> Option<Wallet> {
    WALLETS.iter().copied().find(|w| w.payment == name)
}

const ORDER_CREATE: &str = "orderCreate";
const ORDER_LAST: &str = "orderLast";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Waiting {
    Payment,
    Order,
    OrderLast,
    Confirm,
}

pub struct QrWalletSale {
    wallet: Wallet,
    payment_params: Json,
    /// orderCreate params without the payment fields (filled in once the payment is known).
    order: Map,
    resend_receipt_if_absent: bool,
    payment: Option<Json>,
    receipt: Option<Json>,
    /// Where the receipt came from: `orderCreate`, `orderLast` (after a lost answer), `resume`.
    receipt_source: &'static str,
    order_sends: u32,
    /// The orderCreate params as last sent.
    order_sent: Option<Json>,
    /// The error of an orderCreate whose answer was lost (while orderLast is asked).
    lost_order: Option<KassaError>,
    waiting: Waiting,
}

// ---------------------------------------------------------------------------------------
// Reading params

fn bool_option(options: &Json, key: &str) -> Result<bool> {
    match options.get(key).filter(|v| !v.is_null()) {
        None => Ok(false),
        Some(Json::Bool(b)) => Ok(*b),
        Some(_) => Err(KassaError::validation(
            format!("options.{key}"),
            "must be true or false",
        )),
    }
}

/// The payment reference the receipt and the confirmation need: Anor's `transaction_id`,
/// the others' `payment_id`.
fn payment_reference(wallet: Wallet, payment: &Json) -> Option<(&'static str, String)> {
    if wallet.payment == "anor" {
        payment
            .text_of("transaction_id")
            .map(|v| ("transaction_id", v))
    } else {
        payment.text_of("payment_id").map(|v| ("payment_id", v))
    }
}

/// `extra_info.qr_payment_id`: the wallet's `payment_id` (Anor: its `payment_id`, else the
/// `transaction_id` when Anor gives no payment id).
fn qr_payment_id(wallet: Wallet, payment: &Json) -> Option<String> {
    payment.text_of("payment_id").or_else(|| {
        (wallet.payment == "anor")
            .then(|| payment.text_of("transaction_id"))
            .flatten()
    })
}

fn phone(payment: &Json) -> Option<String> {
    payment
        .text_of("client_phone_number")
        .or_else(|| payment.text_of("phone_number"))
}

/// The orderCreate params for a payment: the caller's order plus the payment fields.
fn order_for(wallet: Wallet, order: &Map, amount: i64, payment: &Json) -> Map {
    let mut params = order.clone();
    if !params.contains_key("received_card") {
        params.insert("received_card", Json::int(amount));
    }
    for key in ["received_cash", "change"] {
        if !params.contains_key(key) {
            params.insert(key, Json::int(0));
        }
    }
    let mut extra = match params.remove("extra_info") {
        Some(Json::Object(m)) => m,
        _ => Map::new(),
    };
    if let Some(id) = qr_payment_id(wallet, payment) {
        extra.insert("qr_payment_id", Json::String(id));
    }
    extra.insert("qr_payment_provider", Json::int(wallet.code));
    if !extra.contains_key("phone_number") {
        if let Some(p) = phone(payment) {
            extra.insert("phone_number", Json::String(p));
        }
    }
    params.insert("extra_info", Json::Object(extra));
    params
}

fn create(client: &dyn FlowClient, params: Json, options: Json) -> Result<Box<dyn Flow>> {
    // Refused before any step: even a resumed sale's amounts are read in the wallet's unit.
    super::wallet_amount_unit(client.config())?;
    let Json::Object(mut p) = params else {
        return Err(KassaError::validation(
            "params",
            "must be an object { provider, amount, qr_code, order }",
        ));
    };
    let provider = p.get("provider").and_then(Json::as_str).unwrap_or_default();
    let wallet = wallet(provider).ok_or_else(|| {
        KassaError::validation(
            "provider",
            format!("must be 'anor', 'click', 'payme' or 'uzum' (got {provider:?})"),
        )
    })?;
    let amount = p.get("amount").and_then(Json::as_i64).unwrap_or(0);
    let mut payment_params = Map::new();
    for key in ["amount", "qr_code"] {
        if let Some(v) = p.get(key) {
            payment_params.insert(key, v.clone());
        }
    }
    // Resuming only the confirmation needs no order.
    let confirm_only = p
        .get("resume")
        .and_then(|r| r.get("receipt"))
        .is_some_and(|v| !v.is_null());
    let order = match p.remove("order") {
        Some(Json::Object(m)) => m,
        None | Some(Json::Null) if confirm_only => Map::new(),
        _ => {
            return Err(KassaError::validation(
                "order",
                "is required: the orderCreate params of the receipt (products, cashier, ...) — kassa fills received_card, received_cash, change and extra_info from the payment",
            ))
        }
    };
    if let Some(given) = order.get("received_card").filter(|v| !v.is_null()) {
        if given.as_i64() != Some(amount) {
            return Err(KassaError::validation(
                "order.received_card",
                format!("must equal amount ({amount} tiyin), the wallet payment the receipt records — or leave it out and kassa fills it"),
            ));
        }
    }
    if let Some(Json::Object(extra)) = order.get("extra_info") {
        for key in ["qr_payment_id", "qr_payment_provider"] {
            if extra.contains_key(key) {
                return Err(KassaError::validation(
                    format!("order.extra_info.{key}"),
                    "is filled by kassa from the wallet payment: leave it out",
                ));
            }
        }
    }

    // Resume after an earlier failure: the payment (and maybe the receipt) already exist.
    let resume = p.get("resume").filter(|v| !v.is_null()).cloned();
    let (payment, receipt) = match &resume {
        None => (None, None),
        Some(Json::Object(r)) => {
            let payment = r.get("payment").filter(|v| !v.is_null()).cloned();
            let receipt = r.get("receipt").filter(|v| !v.is_null()).cloned();
            (payment, receipt)
        }
        Some(_) => return Err(KassaError::validation(
            "resume",
            "must be the `details.resume` object of the error that stopped an earlier qrWalletSale",
        )),
    };
    if let Some(pay) = &payment {
        let outcome = pay.get("outcome").and_then(Json::as_str);
        if matches!(outcome, Some("failed" | "pending")) {
            return Err(KassaError::validation(
                "resume.payment.outcome",
                format!("is '{}': only a successful payment can be resumed. Verify the payment with {} first; never resume a payment you have not confirmed", outcome.unwrap_or_default(), wallet.title),
            ));
        }
        if payment_reference(wallet, pay).is_none() {
            return Err(KassaError::validation(
                "resume.payment",
                format!(
                    "must be the {} payment result: it needs its {}",
                    wallet.payment,
                    if wallet.payment == "anor" {
                        "transaction_id"
                    } else {
                        "payment_id"
                    }
                ),
            ));
        }
    } else if receipt.is_some() {
        return Err(KassaError::validation(
            "resume.payment",
            "is required with resume.receipt (the confirmation needs the payment reference)",
        ));
    }
    if let Some(r) = &receipt {
        if r.text_of("qr_url").is_none() {
            return Err(KassaError::validation(
                "resume.receipt.qr_url",
                "is required: the Soliq receipt link of the orderCreate result",
            ));
        }
    }

    // Validate everything that will be sent before the customer is charged.
    if !confirm_only {
        let ctx = BuildCtx { now_ms: None };
        if payment.is_none() {
            client.build(wallet.payment, Json::Object(payment_params.clone()), &ctx)?;
        } else if amount <= 0 {
            return Err(KassaError::validation(
                "amount",
                "is required: the amount (tiyin) of the payment being resumed, for received_card",
            ));
        }
        let sample_payment = sample_payment_for_validation(wallet);
        let mut check = order_for(
            wallet,
            &order,
            amount,
            payment.as_ref().unwrap_or(&sample_payment),
        );
        if !check.contains_key("time") {
            // The real time is stamped when it is sent; any valid time checks the rest.
            check.insert("time", Json::str("2000-01-01 00:00:00"));
        }
        client
            .build(ORDER_CREATE, Json::Object(check), &ctx)
            .map_err(|e| prefix_field(e, "order"))?;
    }

    let (waiting, receipt_source) = match (&payment, &receipt) {
        (Some(_), Some(_)) => (Waiting::Confirm, "resume"),
        (Some(_), None) => (Waiting::Order, ORDER_CREATE),
        _ => (Waiting::Payment, ORDER_CREATE),
    };
    Ok(Box::new(QrWalletSale {
        wallet,
        payment_params: Json::Object(payment_params),
        order,
        resend_receipt_if_absent: bool_option(&options, "resendReceiptIfAbsent")?,
        payment,
        receipt,
        receipt_source,
        order_sends: 0,
        order_sent: None,
        lost_order: None,
        waiting,
    }))
}

/// Stands in for the wallet's answer while the order is validated before any money moves.
fn sample_payment_for_validation(wallet: Wallet) -> Json {
    let mut m = Map::new();
    m.insert("payment_id", Json::str("0"));
    if wallet.payment == "anor" {
        m.insert("transaction_id", Json::str("0"));
    }
    Json::Object(m)
}

/// `received_card` → `order.received_card` (the order's own fields are under `order`).
fn prefix_field(mut e: KassaError, prefix: &str) -> KassaError {
    if e.kind() == ErrorKind::Validation {
        if let Some(field) = e.info().field.clone() {
            let named = format!("{prefix}.{field}");
            let info = e.info_mut();
            info.message = info
                .message
                .replacen(&format!("`{field}`"), &format!("`{named}`"), 1);
            info.field = Some(named);
        }
    }
    e
}

// ---------------------------------------------------------------------------------------
// The sequence

impl QrWalletSale {
    fn amount(&self) -> Json {
        self.payment_params
            .get("amount")
            .cloned()
            .unwrap_or(Json::Null)
    }

    fn qr_code(&self) -> Json {
        self.payment_params
            .get("qr_code")
            .cloned()
            .unwrap_or(Json::Null)
    }

    fn completed(&self) -> Vec<&'static str> {
        let mut steps = Vec::new();
        if self.payment.is_some() {
            steps.push(self.wallet.payment);
        }
        if self.receipt.is_some() {
            steps.push(ORDER_CREATE);
        }
        steps
    }

    fn resume_json(&self) -> Json {
        let mut m = Map::new();
        if let Some(p) = &self.payment {
            m.insert("payment", p.clone());
        }
        if let Some(r) = &self.receipt {
            m.insert("receipt", r.clone());
        }
        Json::Object(m)
    }

    /// Adds where the sale stands to an error: the step, what completed, what may run again,
    /// the references and the `resume` object.
    fn annotate(
        &self,
        error: KassaError,
        step: &'static str,
        safe_to_retry: &[&'static str],
    ) -> KassaError {
        let names =
            |list: &[&'static str]| Json::Array(list.iter().map(|s| Json::str(*s)).collect());
        let mut e = error
            .with_provider(super::PROVIDER_ID)
            .with_operation(step)
            .with_detail("flow", Json::str("qrWalletSale"))
            .with_detail("step", Json::str(step))
            .with_detail("completedSteps", names(&self.completed()))
            .with_detail("safeToRetry", names(safe_to_retry));
        if self.payment.is_some() {
            e = e.with_detail("resume", self.resume_json());
        }
        for (key, value) in [("qr_code", self.qr_code()), ("amount", self.amount())] {
            if !value.is_null() {
                e = e.with_reference(key, value);
            }
        }
        if let Some((key, value)) = self
            .payment
            .as_ref()
            .and_then(|p| payment_reference(self.wallet, p))
        {
            e = e.with_reference(key, Json::String(value));
        }
        if let Some(url) = self.receipt.as_ref().and_then(|r| r.text_of("qr_url")) {
            e = e.with_reference("qr_url", Json::String(url));
        }
        e
    }

    fn paid_sentence(&self) -> String {
        let reference = self
            .payment
            .as_ref()
            .and_then(|p| payment_reference(self.wallet, p))
            .map(|(k, v)| format!(" ({k} {v})"))
            .unwrap_or_default();
        format!(
            "The customer HAS paid with {}{reference}: do not charge again.",
            self.wallet.title
        )
    }

    fn send_payment(&mut self) -> Step {
        self.waiting = Waiting::Payment;
        Step::Call {
            operation: self.wallet.payment,
            params: self.payment_params.clone(),
        }
    }

    fn send_order(&mut self) -> Step {
        let amount = self.amount().as_i64().unwrap_or(0);
        let payment = self.payment.clone().unwrap_or(Json::Null);
        let params = Json::Object(order_for(self.wallet, &self.order, amount, &payment));
        self.order_sends += 1;
        self.order_sent = Some(params.clone());
        self.waiting = Waiting::Order;
        Step::Call {
            operation: ORDER_CREATE,
            params,
        }
    }

    fn ask_order_last(&mut self) -> Step {
        self.waiting = Waiting::OrderLast;
        Step::Call {
            operation: ORDER_LAST,
            params: Json::Object(Map::new()),
        }
    }

    fn send_confirm(&mut self) -> Step {
        let url = self
            .receipt
            .as_ref()
            .and_then(|r| r.text_of("qr_url"))
            .unwrap_or_default();
        let mut params = Map::new();
        if let Some((key, value)) = self
            .payment
            .as_ref()
            .and_then(|p| payment_reference(self.wallet, p))
        {
            params.insert(key, Json::String(value));
        }
        params.insert("qr_code", Json::String(url));
        self.waiting = Waiting::Confirm;
        Step::Call {
            operation: self.wallet.confirm,
            params: Json::Object(params),
        }
    }

    fn on_payment(&mut self, outcome: Result<Json>) -> Step {
        let op = self.wallet.payment;
        match outcome {
            Ok(payment) => match payment.get("outcome").and_then(Json::as_str) {
                Some("failed") => {
                    let status = payment
                        .text_of("status")
                        .or_else(|| payment.text_of("payment_status"))
                        .unwrap_or_else(|| "failed".into());
                    let e = KassaError::new(
                        ErrorKind::Provider,
                        format!("The {} payment was declined (status {status}): no money moved and no receipt was made. Ask the customer to pay again with a new QR code.", self.wallet.title),
                    )
                    .with_detail("payment", payment.clone());
                    Step::Fail(self.annotate(e, op, &[op]))
                }
                Some("pending") => {
                    let mut e = KassaError::new(
                        ErrorKind::UnknownOutcome,
                        format!("The {} payment is not final (it answered {}), and FiscalBox has no status call for it: it may still be charged. It was not repeated and no receipt was made. Check the payment in the {} merchant cabinet or the customer's app; once it has gone through, run qrWalletSale again with resume: {{ payment: {{ ...error.details.payment, outcome: 'success' }} }} to make the receipt — never charge again.", self.wallet.title, payment.get("status").or_else(|| payment.get("payment_status")).map(Json::to_compact).unwrap_or_default(), self.wallet.title),
                    )
                    .with_detail("payment", payment.clone());
                    if let Some((k, v)) = payment_reference(self.wallet, &payment) {
                        e = e.with_reference(k, Json::String(v));
                    }
                    Step::Fail(self.annotate(e, op, &[]))
                }
                // "success", or no status at all (the envelope's is_success said it worked).
                _ => {
                    self.payment = Some(payment);
                    self.send_order()
                }
            },
            Err(e) => match e.kind() {
                ErrorKind::UnknownOutcome
                | ErrorKind::Transport
                | ErrorKind::Timeout
                | ErrorKind::Decode => {
                    let cause = e.message().to_string();
                    let unknown = e
                        .into_kind(ErrorKind::UnknownOutcome)
                        .with_retryable(false)
                        .with_detail("cause", Json::String(cause));
                    let mut unknown = unknown;
                    unknown.info_mut().message = format!(
                        "The {} payment of {} tiyin with QR code {} may or may not have been charged: its answer was lost or unreadable. It was NOT sent again and no receipt was made. Check it in the {} merchant cabinet or the customer's app before anything else; if it was charged, run qrWalletSale again with resume: {{ payment: {{ {}: '<the id the wallet shows>' }} }} to make the receipt — never charge the same purchase twice.",
                        self.wallet.title,
                        self.amount().to_compact(),
                        self.qr_code().as_str().unwrap_or("?"),
                        self.wallet.title,
                        if self.wallet.payment == "anor" { "transaction_id" } else { "payment_id" }
                    );
                    Step::Fail(self.annotate(unknown, op, &[]))
                }
                // Refused before or by the provider: nothing was charged.
                _ => {
                    let e = e.with_advice("No money moved and no receipt was made: fix the cause, then pay again with a new QR code from the customer's app.");
                    Step::Fail(self.annotate(e, op, &[op]))
                }
            },
        }
    }

    fn on_order(&mut self, outcome: Result<Json>) -> Step {
        match outcome {
            Ok(receipt) => {
                self.receipt = Some(receipt);
                self.send_confirm()
            }
            Err(e) => match e.kind() {
                ErrorKind::UnknownOutcome
                | ErrorKind::Transport
                | ErrorKind::Timeout
                | ErrorKind::Decode => {
                    // The receipt may exist: ask the device for its last one, never re-send blind.
                    self.ask_order_last_after(e)
                }
                _ => {
                    let advice = format!(
                        "{} No receipt was registered. Fix the cause (printer, shift, time, order fields), then run qrWalletSale again with resume: error.details.resume — it makes the receipt and confirms it without paying again.",
                        self.paid_sentence()
                    );
                    let e = e.with_advice(&advice);
                    Step::Fail(self.annotate(e, ORDER_CREATE, &[ORDER_CREATE]))
                }
            },
        }
    }

    fn ask_order_last_after(&mut self, lost: KassaError) -> Step {
        self.lost_order = Some(lost);
        self.ask_order_last()
    }

    /// Whether the device's last receipt is the one this flow registered.
    fn is_ours(&self, last: &Json) -> bool {
        let stored = last.get("order");
        let sent = self.order_sent.as_ref();
        let our_uuid = sent.and_then(|o| o.text_of("uuid"));
        let their_uuid = stored.and_then(|o| o.text_of("uuid"));
        if our_uuid.is_some() && our_uuid == their_uuid {
            return true;
        }
        let our_id = sent.and_then(|o| {
            o.pointer(&["extra_info", "qr_payment_id"])
                .and_then(Json::as_nonblank_text)
                .map(String::from)
        });
        let their_id = stored.and_then(|o| {
            o.pointer(&["extra_info", "QrPaymentID"])
                .and_then(Json::as_nonblank_text)
                .map(String::from)
                .or_else(|| {
                    o.pointer(&["extra_info", "qr_payment_id"])
                        .and_then(Json::as_nonblank_text)
                        .map(String::from)
                })
        });
        our_id.is_some() && our_id == their_id
    }

    /// The orderCreate-shaped receipt of an orderLast result.
    fn receipt_of_last(last: &Json) -> Option<Json> {
        let fm = last.get("result").filter(|r| r.as_object().is_some());
        let url = fm
            .and_then(|r| r.get("QRCodeURL"))
            .and_then(Json::as_nonblank_text)
            .map(String::from)
            .or_else(|| last.text_of("qr_url"))
            .or_else(|| {
                last.pointer(&["order", "result_url"])
                    .and_then(Json::as_nonblank_text)
                    .map(String::from)
            })?;
        let mut m = Map::new();
        let pairs = [
            ("terminal_id", "TerminalID"),
            ("receipt_count", "ReceiptSeq"),
            ("date_time", "DateTime"),
            ("fiscal_sign", "FiscalSign"),
            ("applet_version", "AppletVersion"),
        ];
        for (ours, theirs) in pairs {
            if let Some(v) = fm.and_then(|r| r.get(theirs)).filter(|v| !v.is_null()) {
                m.insert(ours, v.clone());
            }
        }
        m.insert("qr_url", Json::String(url));
        if let Some(v) = fm
            .and_then(|r| r.get("cash_box_number"))
            .filter(|v| !v.is_null())
        {
            m.insert("cash_box_number", v.clone());
        }
        Some(Json::Object(m))
    }

    fn receipt_unknown(&self, why: &str, last: Option<Json>) -> KassaError {
        let mut e = KassaError::new(
            ErrorKind::UnknownOutcome,
            format!(
                "{} The receipt may or may not have been registered: the orderCreate answer was lost and {why}. orderCreate was not sent again (a second receipt would report the sale twice). Check the device (its last receipt, the printed paper); if no receipt exists for this sale, run qrWalletSale again with resume: error.details.resume, or with the option resendReceiptIfAbsent.",
                self.paid_sentence()
            ),
        );
        if let Some(lost) = &self.lost_order {
            e = e.with_detail("cause", Json::str(lost.message()));
        }
        if let Some(last) = last {
            e = e.with_detail("lastReceipt", last);
        }
        self.annotate(e, ORDER_CREATE, &[ORDER_LAST])
    }

    fn on_order_last(&mut self, outcome: Result<Json>) -> Step {
        match outcome {
            Ok(last) => {
                if self.is_ours(&last) {
                    if let Some(receipt) = Self::receipt_of_last(&last) {
                        self.receipt = Some(receipt);
                        self.receipt_source = ORDER_LAST;
                        return self.send_confirm();
                    }
                }
                if self.resend_receipt_if_absent && self.order_sends < 2 {
                    return self.send_order();
                }
                Step::Fail(self.receipt_unknown(
                    "the device's last receipt is not this sale (no matching uuid or qr_payment_id)",
                    Some(last),
                ))
            }
            Err(e) => Step::Fail(self.receipt_unknown(
                &format!(
                    "asking the device for its last receipt failed too ({})",
                    e.message()
                ),
                None,
            )),
        }
    }

    fn on_confirm(&mut self, outcome: Result<Json>) -> Step {
        let op = self.wallet.confirm;
        let tail = format!(
            "The sale is complete and fiscalized (receipt {}); only {} has not acknowledged the receipt link. Sending it again is safe: run qrWalletSale again with resume: error.details.resume (it only confirms), or call {op} yourself.",
            self.receipt.as_ref().and_then(|r| r.text_of("qr_url")).unwrap_or_default(),
            self.wallet.title
        );
        match outcome {
            Ok(confirmation)
                if confirmation.get("outcome").and_then(Json::as_str) == Some("failed") =>
            {
                let e = KassaError::new(
                    ErrorKind::Provider,
                    format!(
                        "{} rejected the receipt confirmation. {tail}",
                        self.wallet.title
                    ),
                )
                .with_detail("confirmation", confirmation);
                Step::Fail(self.annotate(e, op, &[op]))
            }
            Ok(confirmation) => Step::Done(self.result(confirmation)),
            Err(e) => {
                let e = e.with_advice(&tail);
                Step::Fail(self.annotate(e, op, &[op]))
            }
        }
    }

    fn result(&self, confirmation: Json) -> Json {
        let receipt = self.receipt.clone().unwrap_or(Json::Null);
        let amount = self.amount().as_i64().unwrap_or(0);
        let order = self.order_sent.clone().unwrap_or_else(|| {
            Json::Object(order_for(
                self.wallet,
                &self.order,
                amount,
                self.payment.as_ref().unwrap_or(&Json::Null),
            ))
        });
        let fiscal =
            super::receipt::to_receipt_with_order(&receipt, Some(&order)).unwrap_or(Json::Null);
        let mut m = Map::new();
        m.insert("provider", Json::str(self.wallet.payment));
        m.insert("outcome", Json::str("success"));
        m.insert("payment", self.payment.clone().unwrap_or(Json::Null));
        m.insert("receipt", receipt.clone());
        m.insert("receipt_source", Json::str(self.receipt_source));
        m.insert("confirmation", confirmation);
        m.insert(
            "receipt_url",
            receipt
                .text_of("qr_url")
                .map(Json::String)
                .unwrap_or(Json::Null),
        );
        m.insert("order", order);
        m.insert("fiscal_receipt", fiscal);
        Json::Object(m)
    }
}

impl Flow for QrWalletSale {
    fn start(&mut self, _now_ms: i64) -> Step {
        match self.waiting {
            Waiting::Confirm => self.send_confirm(),
            Waiting::Order => self.send_order(),
            _ => self.send_payment(),
        }
    }

    fn resume(&mut self, _now_ms: i64, outcome: Result<Json>) -> Step {
        match self.waiting {
            Waiting::Payment => self.on_payment(outcome),
            Waiting::Order => self.on_order(outcome),
            Waiting::OrderLast => self.on_order_last(outcome),
            Waiting::Confirm => self.on_confirm(outcome),
        }
    }
}

pub static FLOWS: [FlowDef; 1] = [FlowDef {
    name: "qrWalletSale",
    create,
    ts: native_only(
        "  /**
   * QR-wallet sale in one call: the wallet payment (anor | click | payme | uzum) → orderCreate with the
   * payment fields filled in (received_card = amount, received_cash/change 0, extra_info qr_payment_id,
   * qr_payment_provider, phone_number) → the wallet's *Confirm with the receipt's Soliq link.
   * Everything is validated before the customer is charged; the payment is never sent twice.
   * On failure the KassaError says where the sale stands: `details.step`, `details.completedSteps`,
   * `details.safeToRetry`, `reference` (qr_code, amount, payment_id / transaction_id, qr_url) and
   * `details.resume` — pass it back as `params.resume` to continue without paying again.
   * A lost payment answer (or a pending one) is kind 'unknown_outcome': check the payment with the wallet first.
   */
  qrWalletSale(params: {
    provider: 'anor' | 'click' | 'payme' | 'uzum';
    /** Tiyin (1 sum = 100 tiyin). */
    amount: number;
    /** The code scanned from the customer's app. */
    qr_code: string;
    /** orderCreate params without the payment fields. */
    order: Omit<FiscalBoxOrderCreateParams, 'received_card' | 'received_cash' | 'change'> & { received_card?: number; received_cash?: number; change?: number };
    /** `details.resume` of an earlier failed qrWalletSale. */
    resume?: { payment?: object; receipt?: object };
  }, options?: CallOptions & {
    /** After a lost orderCreate answer, send it once more when orderLast shows a different last receipt (default false). */
    resendReceiptIfAbsent?: boolean;
  }): Promise<{
    provider: 'anor' | 'click' | 'payme' | 'uzum';
    outcome: 'success';
    payment: FiscalBoxClickResult | FiscalBoxPaymeResult | FiscalBoxUzumResult | FiscalBoxAnorResult;
    receipt: FiscalBoxOrderCreateResult;
    /** 'orderCreate', 'orderLast' (recovered after a lost answer) or 'resume'. */
    receipt_source: 'orderCreate' | 'orderLast' | 'resume';
    confirmation: FiscalBoxClickConfirmResult | FiscalBoxPaymeConfirmResult | FiscalBoxUzumConfirmResult | FiscalBoxAnorConfirmResult;
    /** The Soliq receipt link. */
    receipt_url: string;
    /** The orderCreate params sent. */
    order: FiscalBoxOrderCreateParams;
    fiscal_receipt: FiscalReceipt;
  }>;",
    ),
}];
