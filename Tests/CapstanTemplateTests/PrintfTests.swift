import CapstanModel
import Testing

@testable import CapstanTemplate

/// `printf` with Go `fmt` verb semantics, including the bad-verb texts float64 data produces (spec §9.4).
@Suite struct PrintfTests {
    static let cases: [(String, String)] = [
        (#"{{ printf "%d" .x }}"#, "%!d(float64=3)"),
        (#"{{ printf "%s" .x }}"#, "%!s(float64=3)"),
        (#"{{ printf "%v" .x }}"#, "3"),
        (#"{{ printf "%.0f" .half }}"#, "2"),
        (#"{{ printf "%.0f" .x }}"#, "3"),
        (#"{{ printf "%g" .big }}"#, "1e+06"),
        (#"{{ printf "%d" (int64 .x) }}"#, "3"),
        (#"{{ printf "%5d|%-5s|%05d|%05d" 42 "ab" 42 -42 }}"#, "   42|ab   |00042|-0042"),
        (#"{{ printf "%x %X %#x %x %o %b" 255 255 255 -255 8 5 }}"#, "ff FF 0xff -ff 10 101"),
        (#"{{ printf "%x %X" "hi" "hi" }}"#, "6869 6869"),
        (#"{{ printf "%q %q" "a\"b" 65 }}"#, #""a\"b" 'A'"#),
        (#"{{ printf "%f %.2f %8.3f %08.3f %e %E" 3.14159 2.675 3.14159 -3.14159 123456.789 0.000123 }}"#,
         "3.141590 2.67    3.142 -003.142 1.234568e+05 1.230000E-04"),
        (#"{{ printf "%g %g %.3g %G" 0.00001 123.456 123456.0 1e21 }}"#, "1e-05 123.456 1.23e+05 1E+21"),
        (#"{{ printf "%t %v" true false }}"#, "true false"),
        (#"{{ printf "%+d %+.1f % d" 5 2.0 7 }}"#, "+5 +2.0  7"),
        (#"{{ printf "%c%c %U %#U" 72 105 128512 65 }}"#, "Hi U+1F600 U+0041 'A'"),
        (#"{{ printf "%.3s|%6.2s|" "abcdef" "xyz" }}"#, "abc|    xy|"),
        (#"{{ printf "%d %d" 1 }}"#, "1 %!d(MISSING)"),
        (#"{{ printf "%d" 1 2 "x" }}"#, "1%!(EXTRA int=2, string=x)"),
        (#"{{ printf "%z" 1 }}"#, "%!z(int=1)"),
        (#"{{ printf "%d|%s|%v" nil .missing nil }}"#, "%!d(<nil>)|%!s(<nil>)|<nil>"),
        (#"{{ printf "%T %T %T %T %T" 1 1.5 "s" .l .m }}"#, "int float64 string []interface {} map[string]interface {}"),
        (#"{{ printf "%v|%s|%d" .l .sl .l }}"#, "[1 2]|[a b]|[%!d(float64=1) %!d(float64=2)]"),
        (#"{{ printf "%v %d" .m .m }}"#, "map[a:1] map[%!d(string=a):%!d(float64=1)]"),
        (#"{{ printf "100%%" }}"#, "100%"),
        (#"{{ printf "%*d|%-*d|" 4 7 3 8 }}"#, "   7|8  |"),
        (#"{{ printf "%v" (semver "v1.2.3") }}"#, "1.2.3"),
        (#"{{ printf "%.1f %.1f %.1f" 0.25 0.35 -0.05 }}"#, "0.2 0.3 -0.1"),
    ]

    @Test(arguments: cases)
    func formats(_ c: (String, String)) {
        let data = json(#"{"x":3,"half":2.5,"big":1000000,"l":[1,2],"sl":["a","b"],"m":{"a":1}}"#)
        #expect(render(c.0, data) == c.1)
    }
}
