import Testing

@Test func placeholderCapstanYAMLTests() {}
