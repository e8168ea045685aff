import Testing
@testable import CapstanCEL
@Test func smoke() throws { let p = try CELProgram("1 + 2"); #expect(try p.evaluate().get() == .int(3)) }
