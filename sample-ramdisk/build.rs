//! On a Windows host with the WDK: configure the driver build the way windows-drivers-rs's own
//! samples do (import libraries, `cfg(driver_model__driver_type = "WDM")`, static CRT check).
//! On any other host nothing WDK-specific runs: the Linux build uses the wdk-sys stand-in and
//! the link flags of `ci/drivers/linux-driver.toml`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    #[cfg(windows)]
    wdk_build::configure_wdk_binary_build()?;
    Ok(())
}
