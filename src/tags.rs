#![doc = include_str!(concat!(env!("OUT_DIR"), "/meibel_operations.md"))]

include!(concat!(env!("OUT_DIR"), "/meibel_tags.rs"));
