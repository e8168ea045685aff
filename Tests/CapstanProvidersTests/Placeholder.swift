import Testing

@Test func placeholderCapstanProvidersTests() {}
