/// Masterminds/sprig v3.3.0 `HermeticTxtFuncMap`: the 194 functions ClusterClass patch templates can call.
enum Sprig {
    private typealias S = SprigSupport

    /// Bounds on what one function call may build, checked before building (Go has none and would exhaust
    /// memory instead); `TemplateLimits.maxValueBytes` cannot exceed `maxValueBytes`.
    static let maxValueBytes = 16 << 20
    static let maxElements = 1_000_000

    /// Fails a call whose result would exceed `maxValueBytes`.
    static func checkBuild(_ bytes: Int, _ what: String) throws(FunctionError) {
        if bytes < 0 || bytes > maxValueBytes {
            throw FunctionError("\(what) result exceeds \(maxValueBytes) bytes (Capstan's value size limit)")
        }
    }

    static let all: [TemplateFunction] =
        strings + numeric + lists + dicts + defaults + encoding + regex + paths + urls + versions + dates + unsupported

    static let versions: [TemplateFunction] = [
        TemplateFunction("semver", [.string]) { a throws(FunctionError) in
            do throws(SemanticVersion.ParseError) { return .semver(try SemanticVersion.parse(S.string(a[0]))) } catch { throw FunctionError(error.message) }
        },
        TemplateFunction("semverCompare", [.string, .string]) { a throws(FunctionError) in
            let constraints = try SemverCache.constraints(S.string(a[0]))
            let version = try SemverCache.version(S.string(a[1]))
            return .bool(constraints.check(version))
        },
    ]

    /// The date functions that need no clock: `duration` and `durationRound` (on strings and int64).
    static let dates: [TemplateFunction] = [
        TemplateFunction("duration", [.any]) { a throws(FunctionError) in
            var n: Int64 = 0
            switch a[0] {
            case .string(let s): if case .success(let v) = GoNumberParsing.parseInt(s, base: 10) { n = v }
            case .int64(let v): n = v
            default: n = 0
            }
            return .string(GoDuration.string(n &* 1_000_000_000))
        },
        TemplateFunction("durationRound", [.any]) { a throws(FunctionError) in
            var d: Int64 = 0
            switch a[0] {
            case .string(let s): d = GoDuration.parse(s) ?? 0
            case .int64(let v): d = v
            default: d = 0
            }
            return .string(GoDuration.round(d))
        },
    ]

    /// Functions Capstan does not implement: random output (keys, certificates, bcrypt salts, AES IVs)
    /// would change on every reconcile, and the time functions need Go `time.Time` values. Each keeps its
    /// Go signature (so argument errors match) and fails with `not supported by Capstan`.
    static let unsupported: [TemplateFunction] = {
        let signatures: [(String, [TemplateFunction.Param])] = [
            ("bcrypt", [.string]), ("htpasswd", [.string, .string]), ("genPrivateKey", [.string]),
            ("derivePassword", [.uint32, .string, .string, .string, .string]), ("buildCustomCert", [.string, .string]),
            ("genCA", [.string, .int]), ("genCAWithKey", [.string, .int, .string]),
            ("genSelfSignedCert", [.string, .anyList, .anyList, .int]),
            ("genSelfSignedCertWithKey", [.string, .anyList, .anyList, .int, .string]),
            ("genSignedCert", [.string, .anyList, .anyList, .int, .any]),
            ("genSignedCertWithKey", [.string, .anyList, .anyList, .int, .any, .string]),
            ("encryptAES", [.string, .string]), ("decryptAES", [.string, .string]),
            ("ago", [.any]), ("toDate", [.string, .string]), ("mustToDate", [.string, .string]), ("unixEpoch", [.time]),
            ("mustDateModify", [.string, .time]), ("must_date_modify", [.string, .time]),
        ]
        return signatures.map { name, params in
            TemplateFunction(name, params) { _ throws(FunctionError) in throw FunctionError("not supported by Capstan") }
        }
    }()
}

/// Go's `time.Duration` text form and `time.ParseDuration`.
enum GoDuration {
    /// `Duration.String()` for nanoseconds: `1h2m3s`, `1.5s`, `300ms`, `0s`.
    static func string(_ d: Int64) -> String {
        var u = d.magnitude
        let neg = d < 0
        var out = ""
        func frac(_ v: UInt64, _ prec: Int) -> (String, UInt64) {
            var v = v
            var digits = ""
            var print = false
            for _ in 0..<prec {
                let digit = v % 10
                print = print || digit != 0
                if print { digits = String(digit) + digits }
                v /= 10
            }
            return (print ? "." + digits : "", v)
        }
        if u < 1_000_000_000 {
            if u == 0 { return "0s" }
            let (prec, unit): (Int, String) = u < 1000 ? (0, "ns") : (u < 1_000_000 ? (3, "µs") : (6, "ms"))
            let (f, rest) = frac(u, prec)
            out = String(rest) + f + unit
        } else {
            let (f, secs) = frac(u, 9)
            u = secs
            out = String(u % 60) + f + "s"
            u /= 60
            if u > 0 {
                out = String(u % 60) + "m" + out
                u /= 60
                if u > 0 { out = String(u) + "h" + out }
            }
        }
        return neg ? "-" + out : out
    }

    /// `time.ParseDuration`, nil on error.
    static func parse(_ s: String) -> Int64? {
        var rest = Substring(s)
        var neg = false
        if let f = rest.first, f == "-" || f == "+" {
            neg = f == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        if rest.isEmpty { return nil }
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix(while: { $0.isASCII && ($0.isNumber || $0 == ".") })
            guard !number.isEmpty, number != ".", let v = Double(number.hasPrefix(".") ? "0" + number : String(number)) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix(while: { !($0.isASCII && ($0.isNumber || $0 == ".")) })
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += v * unit.1
        }
        if total > 9.223372036854775807e18 { return nil }
        let ns = Int64(total)
        return neg ? -ns : ns
    }

    /// sprig's `durationRound` buckets.
    static func round(_ d: Int64) -> String {
        let u = d.magnitude
        let second: UInt64 = 1_000_000_000
        let minute = 60 * second
        let hour = 60 * minute
        let day = 24 * hour
        let month = 30 * day
        let year = 365 * day
        switch u {
        case let x where x > year: return "\(x / year)y"
        case let x where x > month: return "\(x / month)mo"
        case let x where x > day: return "\(x / day)d"
        case let x where x > hour: return "\(x / hour)h"
        case let x where x > minute: return "\(x / minute)m"
        case let x where x > second: return "\(x / second)s"
        default: return "0s"
        }
    }
}
