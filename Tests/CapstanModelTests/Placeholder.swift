import Testing

@Test func placeholderCapstanModelTests() {}
