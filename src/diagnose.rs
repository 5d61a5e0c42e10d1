//! PLACEHOLDER (work in progress): signature diagnosis.
use crate::helper::Helper;
pub static HELPERS: [Helper; 0] = [];
