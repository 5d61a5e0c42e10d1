//! PLACEHOLDER (work in progress): Soliq receipt links.
use crate::helper::Helper;
pub static HELPERS: [Helper; 0] = [];
