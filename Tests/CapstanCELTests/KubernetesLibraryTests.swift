import CapstanCEL
import Testing

/// Examples from the Kubernetes CEL library documentation (k8s.io/apiserver/pkg/cel/library and
/// docs/policies-cel.md §3): each expression must evaluate to `true`.
@Suite struct KubernetesLibraryTests {
    static let lists = [
        "[1, 2, 3].isSorted()", "![1, 3, 2].isSorted()", "['a', 'b', 'b'].isSorted()", "[].isSorted()",
        "[1, 2, 3].sum() == 6", "[1.5, 2.5].sum() == 4.0", "[1u, 2u].sum() == 3u",
        "[duration('1s'), duration('2s')].sum() == duration('3s')", "[].sum() == 0",
        "[1, 2, 3].min() == 1", "[1, 2, 3].max() == 3", "['b', 'a'].min() == 'a'",
        "[1, 2, 3, 2].indexOf(2) == 1", "[1, 2, 3, 2].lastIndexOf(2) == 3", "[1, 2].indexOf(5) == -1",
        "[1, 2].indexOf(2.0) == 1",
    ]
    static let regex = [
        "'abc 123'.find('[0-9]+') == '123'", "'abc'.find('[0-9]+') == ''",
        "'123 abc 456'.findAll('[0-9]+') == ['123', '456']", "'123 abc 456'.findAll('[0-9]+', 1) == ['123']",
        "'123 abc 456'.findAll('[0-9]+', 0) == []", "'aaa'.findAll('a*') == ['aaa']",
        "'abc'.findAll('') == ['', '', '', '']",
    ]
    static let urls = [
        "url('https://user:pass@example.com:80/path?query=val#fragment').getScheme() == 'https'",
        "url('/absolute-path').getScheme() == ''", "!isURL('https://a:b:c/')", "!isURL('../relative-path')",
        "isURL('https://user:pass@example.com:80/path?query=val#fragment')", "isURL('/absolute-path')",
        "url('https://example.com:80/').getHost() == 'example.com:80'", "url('https://example.com/').getHost() == 'example.com'",
        "url('https://[::1]:80/').getHost() == '[::1]:80'", "url('https://[::1]/').getHost() == '[::1]'",
        "url('/path').getHost() == ''", "url('https://example.com:80/').getHostname() == 'example.com'",
        "url('https://127.0.0.1:80/').getHostname() == '127.0.0.1'", "url('https://[::1]:80/').getHostname() == '::1'",
        "url('https://example.com:80/').getPort() == '80'", "url('https://example.com/').getPort() == ''",
        "url('https://example.com/path').getEscapedPath() == '/path'",
        "url('https://example.com/path with spaces/').getEscapedPath() == '/path%20with%20spaces/'",
        "url('https://example.com').getEscapedPath() == ''",
        "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}",
        "url('https://example.com/path?key with spaces=value with spaces').getQuery() == {'key with spaces': ['value with spaces']}",
        "url('https://example.com/path?').getQuery() == {}", "url('https://example.com/path').getQuery() == {}",
    ]
    static let quantity = [
        "quantity('200M').compareTo(quantity('0.2G')) == 0", "quantity('50M').compareTo(quantity('50Mi')) == -1",
        "quantity('50Mi').compareTo(quantity('50M')) == 1", "quantity('150Mi').isGreaterThan(quantity('100Mi'))",
        "!quantity('50Mi').isGreaterThan(quantity('100Mi'))", "quantity('50M').isLessThan(quantity('100M'))",
        "isQuantity('1.3G')", "!isQuantity('200K')", "!isQuantity('')", "isQuantity('1e3')", "isQuantity('.5')",
        "quantity('50k').isInteger()", "!quantity('50.5m').isInteger()", "quantity('1.5Gi').asInteger() == 1610612736",
        "quantity('50.703k').asApproximateFloat() == 50703.0", "quantity('1e3').asInteger() == 1000",
        "quantity('50k').add(quantity('20k')) == quantity('70k')", "quantity('50k').add(20) == quantity('50020')",
        "quantity('50k').sub(quantity('20k')) == quantity('30k')", "quantity('50k').sub(20000) == quantity('30k')",
        "sign(quantity('-5')) == -1", "sign(quantity('0')) == 0", "quantity('5').sign() == 1",
        "quantity('1n').isLessThan(quantity('1u'))", "quantity('0.0000000001').asApproximateFloat() == 1e-9",
    ]
    static let network = [
        "ip('127.0.0.1').family() == 4", "ip('::1').family() == 6", "ip('0.0.0.0').isUnspecified()",
        "!ip('127.0.0.1').isUnspecified()", "ip('::').isUnspecified()", "ip('127.0.0.1').isLoopback()",
        "ip('::1').isLoopback()", "!ip('2001:db8::abcd').isLoopback()", "ip('224.0.0.1').isLinkLocalMulticast()",
        "!ip('224.0.1.1').isLinkLocalMulticast()", "ip('ff02::1').isLinkLocalMulticast()",
        "ip('169.254.169.254').isLinkLocalUnicast()", "ip('fe80::1').isLinkLocalUnicast()",
        "!ip('fd80::1').isLinkLocalUnicast()", "ip('192.168.0.1').isGlobalUnicast()",
        "!ip('255.255.255.255').isGlobalUnicast()", "ip('2001:db8::abcd').isGlobalUnicast()",
        "!ip('ff00::1').isGlobalUnicast()", "isIP('10.0.0.1')", "!isIP('10.0.0.01')", "!isIP('::ffff:1.2.3.4')",
        "!isIP('fe80::1%eth0')", "ip.isCanonical('2001:db8::1')", "!ip.isCanonical('2001:DB8::1')",
        "!ip.isCanonical('2001:db8:0:0:0:0:0:1')", "string(ip('2001:db8:0:0:1:0:0:1')) == '2001:db8::1:0:0:1'",
        "ip('10.0.0.1') == ip('10.0.0.1')", "type(ip('10.0.0.1')) == net.IP",
        "cidr('192.168.0.0/16').containsIP(ip('192.168.1.1'))", "cidr('192.168.0.0/16').containsIP('192.168.1.1')",
        "!cidr('192.168.0.0/16').containsIP('10.0.0.1')", "cidr('192.168.0.0/16').containsCIDR(cidr('192.168.1.0/24'))",
        "cidr('192.168.0.0/16').containsCIDR('192.168.1.0/24')", "!cidr('192.168.0.0/16').containsCIDR('10.0.0.0/8')",
        "cidr('192.168.1.5/24').ip() == ip('192.168.1.5')", "cidr('192.168.1.5/24').masked() == cidr('192.168.1.0/24')",
        "cidr('192.168.1.5/24').prefixLength() == 24", "string(cidr('192.168.1.0/24')) == '192.168.1.0/24'",
        "isCIDR('10.0.0.0/8')", "!isCIDR('10.0.0.0/33')", "!isCIDR('10.0.0.0')", "cidr('::1/128').ip().isLoopback()",
    ]
    static let format = [
        "format.dns1123Label().validate('my-name') == optional.none()",
        "format.dns1123Label().validate('My_Name').value()[0].startsWith('a lowercase RFC 1123 label must consist of')",
        "format.dns1123Label().validate('a.b').value() == ['must not contain dots']",
        "format.dns1123Subdomain().validate('apiextensions.k8s.io') == optional.none()",
        "format.dns1035Label().validate('1abc').hasValue()", "format.dns1123LabelPrefix().validate('my-label-prefix-') == optional.none()",
        "format.qualifiedName().validate('apiextensions.k8s.io/v1beta1') == optional.none()",
        "format.qualifiedName().validate('/x').value()[0] == 'prefix part must be non-empty'",
        "format.labelValue().validate('') == optional.none()", "format.labelValue().validate('-x').hasValue()",
        "format.uri().validate('http://example.com') == optional.none()", "format.uri().validate('not a uri').hasValue()",
        "format.uuid().validate('123e4567-e89b-12d3-a456-426614174000') == optional.none()",
        "format.byte().validate('aGVsbG8=') == optional.none()", "format.byte().validate('aGVsbG8').hasValue()",
        "format.date().validate('2021-01-01') == optional.none()", "format.date().validate('2021-02-30').value() == ['invalid date']",
        "format.datetime().validate('2021-01-01T00:00:00Z') == optional.none()",
        "format.named('dns1123Label').hasValue()", "!format.named('nope').hasValue()",
        "format.named('dns1123Label').value().validate('ok') == optional.none()",
    ]
    static let semver = [
        "semver('1.2.3').major() == 1", "semver('1.2.3').minor() == 2", "semver('1.2.3').patch() == 3",
        "semver('1.2.3').compareTo(semver('1.2.3')) == 0", "semver('1.2.3').compareTo(semver('2.0.0')) == -1",
        "semver('1.2.3').compareTo(semver('0.1.2')) == 1", "semver('1.2.3').isGreaterThan(semver('1.2.2'))",
        "semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", "semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta'))",
        "semver('1.0.0+build.1') == semver('1.0.0+build.2')", "isSemver('1.0.0')", "!isSemver('1.0')", "!isSemver('v1.0.0')",
        "isSemver('v1.0', true)", "semver('1.0', true) == semver('1.0.0')", "semver('01.01.01', true) == semver('1.1.1')",
        "semver('v1.30.2', true).minor() == 30", "!isSemver('1.0-alpha', true)",
        "semver(object.spec.topology.version, true).isGreaterThan(semver('1.29.0'))",
    ]
    static let image = [
        "image('registry.k8s.io/kube-apiserver-arm64:testtag').tag() == 'testtag'",
        "image('kube-apiserver-arm64:testtag').registry() == 'index.docker.io'",
        "image('registry.k8s.io/kube-apiserver-arm64:latest').registry() == 'registry.k8s.io'",
        "image('registry.k8s.io/kube-apiserver-arm64').repository() == 'kube-apiserver-arm64'",
        "image('registry.k8s.io/kube-apiserver-arm64').tag() == 'latest'",
        "image('registry.k8s.io/kube-apiserver-arm64@sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2').containsDigest()",
        "!image('registry.k8s.io/kube-apiserver-arm64:latest').containsDigest()",
        "image('registry.k8s.io/kube-apiserver-arm64:latest@sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2').identifier() == 'sha256:6aefddb645ee6963afd681b1845c661d0ea4c3b20ab9db86d9e753b203d385f2'",
        "isImage('nginx')", "!isImage('registry.k8s.io//kube-apiserver-arm64')", "image('nginx').repository() == 'library/nginx'",
    ]
    static let extensions = [
        "'hello'.charAt(1) == 'e'", "'hello'.indexOf('l') == 2", "'hello'.lastIndexOf('l') == 3",
        "'TacoCat'.lowerAscii() == 'tacocat'", "'a-b-c'.replace('-', '+', 1) == 'a+b-c'", "'a,b,c'.split(',') == ['a', 'b', 'c']",
        "'a,b,c'.split(',', 2) == ['a', 'b,c']", "'hello'.substring(1, 3) == 'el'", "'  x  '.trim() == 'x'",
        "['a', 'b'].join('-') == 'a-b'", "strings.quote('a\"b') == '\"a\\\\\"b\"'", "'abc'.reverse() == 'cba'",
        "'%s has %d replicas'.format(['web', 3]) == 'web has 3 replicas'", "'%.2f'.format([3.14159]) == '3.14'",
        "'%x'.format([255]) == 'ff'", "'%s'.format([[1, 'a']]) == '[1, \"a\"]'",
        "sets.contains([1, 2, 3], [2, 3])", "!sets.contains([1], [2])", "sets.equivalent([1, 2], [2, 1, 1])",
        "sets.intersects([1], [1.0])", "!sets.intersects([], [1])",
        "{'a': 1, 'b': 2}.all(k, v, v > 0)", "[10, 20].exists(i, v, i == 1 && v == 20)", "[1, 2, 1].existsOne(i, v, v == 2)",
        "[1, 2].transformList(i, v, v * 2) == [2, 4]", "[1, 2, 3].transformList(i, v, v > 1, i) == [1, 2]",
        "{'a': 1}.transformMap(k, v, v + 1) == {'a': 2}", "[1, 2].transformMapEntry(i, v, {string(v): i}) == {'1': 0, '2': 1}",
        "{'a': 1}.?a.orValue(0) == 1", "{}.?a.orValue(0) == 0", "optional.of(1).optMap(x, x + 1).value() == 2",
        "optional.none().or(optional.of(2)).value() == 2", "[1, 2][?5].hasValue() == false", "[optional.of(1), optional.none()].unwrapOpt() == [1]",
        "cel.bind(x, 2, x * x) == 4", "{'a': {'b': 1}}.?a.?b.value() == 1", "!{'a': {}}.?a.?b.hasValue()",
        "timestamp('2023-12-25T00:00:00Z').getDate('America/Los_Angeles') == 24",
        "timestamp('2023-06-01T12:00:00Z').getHours('Europe/Paris') == 14", "timestamp('2023-06-01T12:00:00Z').getHours('+05:30') == 17",
    ]

    static let object: CELValue = .map([
        ("spec", .map([("topology", .map([("version", "v1.30.2")]))])),
    ])

    @Test("Kubernetes library examples", arguments: lists + regex + urls + quantity + network + format + semver + image + extensions)
    func example(_ expr: String) {
        let v = evaluate(expr, ["object": Self.object])
        #expect(v == .bool(true), "\(expr) gave \(v)")
    }

    @Test func libraryErrors() {
        #expect(errorMessage(evaluate("[].min()")) == "min called on empty list")
        #expect(errorMessage(evaluate("quantity('200K')")) == "unable to parse quantity's suffix")
        #expect(errorMessage(evaluate("quantity('1.5').asInteger()")) == "cannot convert value to integer")
        #expect(errorMessage(evaluate("ip('::ffff:1.2.3.4')")) == "IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed")
        #expect(errorMessage(evaluate("ip('fe80::1%eth0')")) == "IP address \"fe80::1%eth0\" with zone value is not allowed")
        #expect(errorMessage(evaluate("semver('1.0')")) == "No Major.Minor.Patch elements found")
        #expect(errorMessage(evaluate("url('../x')"))?.hasPrefix("URL parse error during conversion from string") == true)
        #expect(errorMessage(evaluate("'abc'.charAt(5)")) == "index out of range: 5")
        #expect(errorMessage(evaluate("'%d'.format(['x'])")) == "error during formatting: decimal clause can only be used on integers, was given string")
        // A constant invalid pattern is rejected when compiling, as Kubernetes does.
        #expect(errorMessage(evaluate("'x'.matches('(')"))?.hasPrefix("compile: error parsing regexp: missing closing )") == true)
        #expect(errorMessage(evaluate("'x'.matches(p)", ["p": "("]))?.hasPrefix("error parsing regexp: missing closing )") == true)
    }
}
