import Testing

@Test func placeholderCapstanTemplateTests() {}
