crate::open_enum! {
    #[doc = "Values of the schema `Kind`."] Kind { #[doc = "`text`"] Text = "text", #[doc
    = "`list`"] List = "list", }
}
