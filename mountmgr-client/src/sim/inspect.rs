//! Inspection: what the simulated mount manager knows, its database, its namespace, its trace
//! and its findings.

use alloc::vec::Vec;

use super::{Database, Finding, MountedVolume, Rule, Sim, SimName, Trace, name};

impl Sim {
    /// The `MountedDevices` database.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The volumes the mount manager has processed, in arrival order.
    pub fn volumes(&self) -> &[MountedVolume] {
        &self.volumes
    }

    /// The processed volume whose device name is `device_name`.
    pub fn volume(&self, device_name: &str) -> Option<&MountedVolume> {
        self.volume_index(&SimName::new(device_name))
            .and_then(|index| self.volumes.get(index))
    }

    /// The names of volumes whose arrival failed and that CHECK_UNPROCESSED_VOLUMES would retry.
    pub fn unprocessed(&self) -> &[SimName] {
        &self.unprocessed
    }

    /// The target of a symbolic link (`\DosDevices\Z:`, `\??\Volume{…}`, `\GLOBAL??\Z:`).
    pub fn link_target(&self, link: &str) -> Option<&SimName> {
        self.namespace.link_target(&SimName::new(link))
    }

    /// Every link in `\GLOBAL??` (named `\GLOBAL??\…`) and its target.
    pub fn links(&self) -> impl Iterator<Item = (&SimName, &SimName)> {
        self.namespace.links()
    }

    /// The drive letters that exist in `\GLOBAL??`, whoever created them.
    pub fn drive_letters(&self) -> Vec<char> {
        self.namespace
            .links()
            .filter_map(|(key, _)| {
                let rest = key.units().get(name::GLOBAL_DIR.len()..)?;
                match rest {
                    [letter, colon] if colon.get() == u16::from(b':') => u8::try_from(letter.get())
                        .ok()
                        .filter(u8::is_ascii_uppercase)
                        .map(char::from),
                    _ => None,
                }
            })
            .collect()
    }

    /// The names in the `\Device` directory.
    pub fn device_names(&self) -> Vec<SimName> {
        self.namespace.devices().map(|(name, _)| name.clone()).collect()
    }

    /// The epic number (bumped by every mount-point change, §4.2 step 11).
    pub fn epic_number(&self) -> u32 {
        self.epic
    }

    /// The trace so far.
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Empties the trace.
    pub fn clear_trace(&mut self) {
        self.trace.clear();
    }

    /// Every conformance finding so far (each distinct finding once).
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings of `rule`.
    pub fn findings_of(&self, rule: Rule) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.rule == rule).collect()
    }

    /// Returns the findings and forgets them.
    pub fn take_findings(&mut self) -> Vec<Finding> {
        core::mem::take(&mut self.findings)
    }
}
