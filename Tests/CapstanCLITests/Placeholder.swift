import Testing

@Test func placeholderCapstanCLITests() {}
