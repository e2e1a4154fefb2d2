pub fn run(_args: &[String]) -> Result<(), crate::Fail> {
    Err(crate::fail("todo"))
}
