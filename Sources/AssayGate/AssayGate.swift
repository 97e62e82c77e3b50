// AssayGate: see docs/ARCHITECTURE.md
