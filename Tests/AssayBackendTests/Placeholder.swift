import Testing
@testable import AssayBackend
