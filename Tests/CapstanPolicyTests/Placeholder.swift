import Testing

@Test func placeholderCapstanPolicyTests() {}
