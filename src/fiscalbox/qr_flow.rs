//! PLACEHOLDER (work in progress): the QR-wallet sale flow.
use crate::flow::FlowDef;
pub static FLOWS: [FlowDef; 0] = [];
