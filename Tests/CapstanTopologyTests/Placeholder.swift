import Testing

@Test func placeholderCapstanTopologyTests() {}
