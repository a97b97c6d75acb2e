//! PASS / FAIL lines and the closing `N passed, M failed` count.

/// Counts and prints check results.
#[derive(Debug, Default)]
pub struct Report {
    passed: u32,
    failed: u32,
}

impl Report {
    /// Records one check and prints its line.
    pub fn check(&mut self, name: &str, ok: bool, detail: impl std::fmt::Display) {
        if ok {
            self.passed += 1;
            println!("PASS {name} {detail}");
        } else {
            self.failed += 1;
            println!("FAIL {name} {detail}");
        }
    }

    /// Prints the closing line and returns the process exit code (0 only if nothing failed).
    pub fn finish(&self) -> i32 {
        println!("{} passed, {} failed", self.passed, self.failed);
        i32::from(self.failed != 0 || self.passed == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::Report;

    #[test]
    fn any_failure_or_no_check_is_a_failing_exit_code() {
        let mut report = Report::default();
        assert_eq!(report.finish(), 1, "no check ran");
        report.check("a", true, "");
        assert_eq!(report.finish(), 0);
        report.check("b", false, "");
        assert_eq!(report.finish(), 1);
    }
}
