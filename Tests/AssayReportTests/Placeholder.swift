import Testing
@testable import AssayReport
