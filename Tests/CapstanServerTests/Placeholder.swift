import Testing

@Test func placeholderCapstanServerTests() {}
