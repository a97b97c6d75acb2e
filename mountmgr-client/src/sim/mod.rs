//! A behavioural mount-manager simulator (in progress).
