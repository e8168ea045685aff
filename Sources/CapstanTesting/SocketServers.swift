import Foundation
import Synchronization

/// A server that accepts TCP connections on loopback and never answers: the hang libgit2 1.5 cannot time out.
public final class BlackHoleServer: Sendable {
    public let port: Int
    private let sockets = SocketSet()
    private let listener: Int32

    public init() throws {
        (listener, port) = try Sockets.listen()
        let (listener, sockets) = (self.listener, self.sockets)
        let thread = Thread {
            while true {
                let fd = accept(listener, nil, nil)
                if fd < 0 { return }
                sockets.add(fd)  // held open, never read or written
            }
        }
        thread.start()
    }

    deinit { stop() }

    /// Closes the listener and every held connection.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        sockets.cutAll()
    }
}

/// A TCP relay on loopback: forwards to a local port (optionally throttled, and able to cut every connection
/// at once, like a server that dies mid-transfer), or acts as an HTTP proxy (CONNECT tunnels and absolute-form
/// requests) that records what it was asked for.
public final class TCPRelay: Sendable {
    public enum Mode: Sendable {
        /// Forward to `127.0.0.1:port`, sending server bytes at most at `bytesPerSecond` when given.
        case forward(port: Int, bytesPerSecond: Int?)
        /// An HTTP proxy that connects every request to 127.0.0.1 on the requested port.
        case proxy
    }

    public let port: Int
    private let listener: Int32
    private let sockets = SocketSet()
    private let log = Mutex<[String]>([])
    private let settings: RelaySettings

    public init(_ mode: Mode) throws {
        (listener, port) = try Sockets.listen()
        if case .forward(_, let rate) = mode { settings = RelaySettings(rate: rate) } else { settings = RelaySettings(rate: nil) }
        let (listener, sockets, settings) = (self.listener, self.sockets, self.settings)
        let logger = LogSink(log: self)
        let thread = Thread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { return }
                sockets.add(client)
                if settings.stalled { continue }  // accepted, never answered
                Thread { TCPRelay.serve(client, mode: mode, sockets: sockets, logger: logger, settings: settings) }.start()
            }
        }
        thread.start()
    }

    /// Changes the forwarding rate of server bytes (nil: unlimited), for connections old and new.
    public func setRate(_ bytesPerSecond: Int?) { settings.rate = bytesPerSecond }

    /// While stalled, new connections are accepted and then never answered (a black hole).
    public func setStalled(_ stalled: Bool) { settings.stalled = stalled }

    deinit { stop() }

    /// The request lines a proxy relay received (`CONNECT localhost:443 HTTP/1.1`).
    public var requests: [String] { log.withLock { $0 } }

    fileprivate func record(_ line: String) { log.withLock { $0.append(line) } }

    /// Resets every open connection at once (both sides see the connection die), keeping the listener.
    public func cutAll() { sockets.cutAll() }

    /// Stops listening and resets every connection.
    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        sockets.cutAll()
    }

    private static func serve(_ client: Int32, mode: Mode, sockets: SocketSet, logger: LogSink, settings: RelaySettings) {
        var upstreamPort: Int
        var pending: [UInt8] = []
        switch mode {
        case .forward(let port, _):
            upstreamPort = port
        case .proxy:
            var head: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while !head.containsSequence([13, 10, 13, 10]), head.count < 16384 {
                let n = read(client, &chunk, chunk.count)
                if n <= 0 { sockets.close(client); return }
                head += chunk[0..<n]
            }
            let line = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self)
            logger.record(line)
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let target = Sockets.targetPort(of: String(parts[1]), connect: parts[0] == "CONNECT") else {
                sockets.close(client)
                return
            }
            upstreamPort = target
            if parts[0] == "CONNECT" {
                Sockets.writeAll(client, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
            } else {
                pending = head
            }
        }
        guard let upstream = Sockets.connectLoopback(upstreamPort) else {
            sockets.close(client)
            return
        }
        sockets.add(upstream)
        if !pending.isEmpty { Sockets.writeAll(upstream, pending) }
        let done = DispatchGroup()
        done.enter()
        Thread {
            Sockets.pump(from: client, to: upstream) { nil }
            done.leave()
        }.start()
        Sockets.pump(from: upstream, to: client) { settings.rate }
        done.wait()
        sockets.close(client)
        sockets.close(upstream)
    }
}

/// The adjustable behaviour of a relay.
private final class RelaySettings: Sendable {
    private let state: Mutex<(rate: Int?, stalled: Bool)>
    init(rate: Int?) { state = Mutex((rate, false)) }
    var rate: Int? {
        get { state.withLock { $0.rate } }
        set { state.withLock { $0.rate = newValue } }
    }
    var stalled: Bool {
        get { state.withLock { $0.stalled } }
        set { state.withLock { $0.stalled = newValue } }
    }
}

/// Passes proxy log lines to the relay without a retain cycle in its threads.
private final class LogSink: Sendable {
    private weak let relay: TCPRelay?
    init(log relay: TCPRelay) { self.relay = relay }
    func record(_ line: String) { relay?.record(line) }
}

/// Open sockets of a test server, so they can all be reset at once.
private final class SocketSet: Sendable {
    private let fds = Mutex<Set<Int32>>([])

    func add(_ fd: Int32) { fds.withLock { _ = $0.insert(fd) } }

    /// Closes `fd` if it is still tracked (a cut may already have reset it).
    func close(_ fd: Int32) {
        let tracked = fds.withLock { $0.remove(fd) != nil }
        if tracked { Glibc.close(fd) }
    }

    /// Sets linger 0 (close sends RST) and shuts every socket down; blocked reads return at once.
    func cutAll() {
        fds.withLock { set in
            for fd in set {
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                shutdown(fd, Int32(SHUT_RDWR))
            }
        }
    }
}

enum Sockets {
    /// A listening socket on a free loopback port.
    static func listen() throws -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket failed") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = LoopbackPort.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else {
            Glibc.close(fd)
            throw ServerError("bind/listen failed")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    static func connectLoopback(_ port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = LoopbackPort.loopback(port: port)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            Glibc.close(fd)
            return nil
        }
        return fd
    }

    /// The port of a proxy request target: `host:port` for CONNECT, `http://host:port/…` otherwise.
    static func targetPort(of target: String, connect: Bool) -> Int? {
        var authority = Substring(target)
        if !connect {
            guard let scheme = authority.range(of: "://") else { return nil }
            authority = authority[scheme.upperBound...]
            authority = authority.prefix { $0 != "/" }
        }
        guard let colon = authority.lastIndex(of: ":") else { return target.hasPrefix("https") ? 443 : 80 }
        return Int(authority[authority.index(after: colon)...])
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Copies until end-of-file or error, then half-closes the destination.
    static func pump(from source: Int32, to destination: Int32, rate: () -> Int?) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let bytesPerSecond = rate()
            let size = bytesPerSecond.map { max(1024, min(16384, $0 / 50)) } ?? 65536
            let n = read(source, &buffer, size)
            if n <= 0 { break }
            writeAll(destination, Array(buffer[0..<n]))
            if let bytesPerSecond { usleep(useconds_t(Double(n) / Double(bytesPerSecond) * 1_000_000)) }
        }
        shutdown(destination, Int32(SHUT_WR))
    }
}

extension Array where Element == UInt8 {
    fileprivate func containsSequence(_ needle: [UInt8]) -> Bool {
        guard count >= needle.count else { return false }
        for start in 0...(count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) { return true }
        return false
    }
}
