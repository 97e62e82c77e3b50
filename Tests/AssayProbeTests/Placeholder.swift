import Testing
@testable import AssayProbe
