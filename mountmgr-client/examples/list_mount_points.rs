//! Lists every mount point the mount manager knows, the way `mountvol` does: each volume GUID
//! name with its device, drive letters and other links.
//!
//! ```text
//! cargo run -p mountmgr-client --features std --example list_mount_points [-- --machine]
//! ```
//!
//! It talks to `\\.\MountPointManager` through the client over the Windows transport, opened for
//! queries only (no administrator rights needed). `--machine` prints tab-separated lines for
//! scripts (`ci/wine/run-mountmgr-list.sh` checks them under Wine):
//!
//! ```text
//! SIZE    <bytes of the complete MOUNTMGR_MOUNT_POINTS reply>
//! CALLS   <requests the probing client needed for the listing>
//! PROBE   <scratch bytes a 56-byte fixed scratch was told it needs>
//! POINT   <link> <device> <unique ID in hex>
//! RESOLVE <link> <device>          one QUERY_POINTS filtered by that link
//! DEVICE  <device> <points>        one QUERY_POINTS filtered by that device
//! ```
//!
//! On anything but Windows it prints that it needs Windows and exits with status 2 (not 0, so a
//! script cannot mistake "nothing was listed" for "the mount manager has no mount points").

#[cfg(windows)]
mod windows_main {
    use std::fmt::Write as _;
    use std::process::ExitCode;

    use mountdev::{NtNameBuf, Reply};
    use mountmgr_client::windows::WindowsTransport;
    use mountmgr_client::{Client, ClientError, LinkKind, MountPointEntry, MountPointFilter, Transport};

    /// Counts the requests that pass through it.
    struct Counting<T> {
        inner: T,
        calls: usize,
    }

    impl<T: Transport> Transport for Counting<T> {
        fn device_io_control(&mut self, code: u32, input: &[u8], output: &mut [u8]) -> Reply {
            self.calls += 1;
            self.inner.device_io_control(code, input, output)
        }
    }

    /// One mount point, owned.
    struct Point {
        link: String,
        kind: LinkKind,
        device: String,
        unique_id: String,
    }

    impl Point {
        fn from_entry(entry: &MountPointEntry<'_>) -> Self {
            let unique_id = entry
                .unique_id()
                .unwrap_or_default()
                .iter()
                .fold(String::new(), |mut hex, byte| {
                    let _ = write!(hex, "{byte:02x}");
                    hex
                });
            Self {
                link: entry.symbolic_link().to_string(),
                kind: entry.kind(),
                device: entry
                    .device_name()
                    .map_or_else(|| "-".to_owned(), |name| name.to_string()),
                unique_id,
            }
        }
    }

    pub fn main() -> ExitCode {
        let machine = std::env::args().skip(1).any(|arg| arg == "--machine");
        match run(machine) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("list_mount_points: {message}");
                ExitCode::FAILURE
            }
        }
    }

    fn run(machine: bool) -> Result<(), String> {
        let open = || WindowsTransport::open_for_queries().map_err(|e| e.to_string());
        // Start with a 32-byte output so the listing goes through the overflow-and-retry path.
        let mut client = Client::new(Counting {
            inner: open()?,
            calls: 0,
        })
        .with_initial_output(32);
        let (points, size) = {
            let listed = client
                .query_points(&MountPointFilter::all())
                .map_err(|e| e.to_string())?;
            (
                listed.iter().map(|p| Point::from_entry(&p)).collect::<Vec<_>>(),
                listed.size(),
            )
        };
        let calls = client.transport().calls;
        if machine {
            println!("SIZE\t{size}");
            println!("CALLS\t{calls}");
            println!("PROBE\t{}", probe_with_fixed_scratch(open()?));
            for point in &points {
                println!("POINT\t{}\t{}\t{}", point.link, point.device, point.unique_id);
            }
            for point in &points {
                let device = resolve_link(&mut client, &point.link)?;
                println!("RESOLVE\t{}\t{device}", point.link);
            }
            let mut devices: Vec<&str> = points.iter().map(|p| p.device.as_str()).collect();
            devices.sort_unstable();
            devices.dedup();
            for device in devices {
                let count = count_device_points(&mut client, device)?;
                println!("DEVICE\t{device}\t{count}");
            }
        } else {
            print_like_mountvol(&points);
        }
        Ok(())
    }

    /// What a client with a 56-byte fixed scratch (24 input + 32 output) is told it needs.
    fn probe_with_fixed_scratch(transport: WindowsTransport) -> String {
        let mut scratch = [0u8; 56];
        let mut client = Client::with_scratch(transport, &mut scratch[..]);
        match client.query_points(&MountPointFilter::all()) {
            Err(ClientError::ScratchTooSmall { required, .. }) => required.to_string(),
            Ok(points) => format!("fits:{}", points.size()),
            Err(other) => format!("error:{other}"),
        }
    }

    /// The device of `link`, from `QUERY_POINTS` filtered by that link.
    fn resolve_link<T: Transport>(client: &mut Client<T, Vec<u8>>, link: &str) -> Result<String, String> {
        let mut buf = NtNameBuf::<512>::new();
        buf.push_str(link).map_err(|e| e.to_string())?;
        let name = buf.as_name().map_err(|e| e.to_string())?;
        let found = client
            .query_points(&MountPointFilter::by_symbolic_link(name))
            .map_err(|e| e.to_string())?;
        let devices: Vec<String> = found
            .iter()
            .filter(|p| p.symbolic_link().eq_ignore_ascii_case(&name))
            .map(|p| p.device_name().map_or_else(|| "-".to_owned(), |d| d.to_string()))
            .collect();
        match devices.as_slice() {
            [device] => Ok(device.clone()),
            other => Err(format!("{link} resolves to {} devices", other.len())),
        }
    }

    /// How many points `QUERY_POINTS` filtered by `device` returns.
    fn count_device_points<T: Transport>(client: &mut Client<T, Vec<u8>>, device: &str) -> Result<usize, String> {
        let mut buf = NtNameBuf::<512>::new();
        buf.push_str(device).map_err(|e| e.to_string())?;
        let name = buf.as_name().map_err(|e| e.to_string())?;
        let found = client
            .query_points(&MountPointFilter::by_device_name(name))
            .map_err(|e| e.to_string())?;
        Ok(found.iter().filter(|p| p.is_on_device(name)).count())
    }

    fn print_like_mountvol(points: &[Point]) {
        let volumes = points.iter().filter(|p| matches!(p.kind, LinkKind::VolumeName(_)));
        let mut listed = 0;
        for volume in volumes {
            listed += 1;
            // The Win32 form of `\??\Volume{…}` is `\\?\Volume{…}\`.
            let win32 = volume.link.replacen(r"\??\", r"\\?\", 1);
            println!("    {win32}\\");
            println!("        device {}", volume.device);
            for other in points.iter().filter(|p| p.device == volume.device) {
                match other.kind {
                    LinkKind::DriveLetter(letter) => println!("        {}:\\", letter.letter()),
                    LinkKind::Other => println!("        {}", other.link),
                    LinkKind::VolumeName(_) => {}
                }
            }
            println!();
        }
        let orphans: Vec<&Point> = points
            .iter()
            .filter(|p| {
                !points
                    .iter()
                    .any(|v| matches!(v.kind, LinkKind::VolumeName(_)) && v.device == p.device)
            })
            .collect();
        if listed == 0 || !orphans.is_empty() {
            println!("    Links without a volume GUID name:");
            for point in orphans {
                println!("        {} -> {}", point.link, point.device);
            }
        }
    }
}

#[cfg(windows)]
fn main() -> std::process::ExitCode {
    windows_main::main()
}

#[cfg(not(windows))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "list_mount_points needs Windows: it talks to \\\\.\\MountPointManager. \
         Build it for x86_64-pc-windows-gnu and run it under Wine (ci/wine/run-mountmgr-list.sh)."
    );
    std::process::ExitCode::from(2)
}
