import Testing
@testable import AssayGate
