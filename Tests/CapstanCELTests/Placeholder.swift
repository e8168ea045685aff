import Testing

@Test func placeholderCapstanCELTests() {}
