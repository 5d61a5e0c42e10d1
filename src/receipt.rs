//! PLACEHOLDER (work in progress): one receipt model across providers.
use crate::helper::Helper;
pub static HELPERS: [Helper; 0] = [];
