// AssayReport: see docs/ARCHITECTURE.md
