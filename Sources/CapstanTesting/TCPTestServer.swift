import Foundation

/// A minimal TCP server on 127.0.0.1 for tests: each connection's request bytes go to `respond`, whose
/// result is written back before closing; returning nil leaves the connection open and silent (a
/// "black hole" that accepts and never answers).
public final class TCPTestServer: @unchecked Sendable {  // state is guarded by `lock`
    public let port: UInt16
    private let listener: Int32
    private let respond: @Sendable ([UInt8]) -> [UInt8]?
    private let lock = NSLock()
    private var held: [Int32] = []
    private var stopped = false

    /// Starts listening on an ephemeral loopback port.
    public init(respond: @escaping @Sendable ([UInt8]) -> [UInt8]?) throws {
        self.respond = respond
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        port = UInt16(bigEndian: addr.sin_port)
        listener = fd
        Thread.detachNewThread { [self] in acceptLoop() }  // keeps the server alive until stopped
    }

    /// A server that accepts connections and never answers.
    public static func blackHole() throws -> TCPTestServer { try TCPTestServer { _ in nil } }

    /// A server answering every request with one HTTP response.
    public static func http(status: Int = 200, body: String = "ok", headers: [String: String] = [:]) throws -> TCPTestServer {
        try TCPTestServer { _ in
            var text = "HTTP/1.1 \(status) X\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (k, v) in headers { text += "\(k): \(v)\r\n" }
            return Array((text + "\r\n" + body).utf8)
        }
    }

    private func acceptLoop() {
        // Only this thread closes the listener, after `accept` fails (stop() shuts it down): closing it from
        // stop() could let this thread accept on a descriptor number already reused by another server.
        while true {
            let conn = accept(listener, nil, nil)
            if conn < 0 {
                close(listener)
                return
            }
            Thread.detachNewThread { [self] in serve(conn) }
        }
    }

    private func serve(_ conn: Int32) {
        var request: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        // Read until the end of the headers plus any Content-Length body.
        while true {
            let n = read(conn, &buf, buf.count)
            if n <= 0 { break }
            request.append(contentsOf: buf[0..<n])
            if let end = Self.headerEnd(request) {
                let head = String(decoding: request[..<end], as: UTF8.self).lowercased()
                let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if request.count >= end + 4 + length { break }
            }
        }
        guard let response = respond(request) else {
            lock.withLock { held.append(conn) }
            return
        }
        response.withUnsafeBytes { _ = write(conn, $0.baseAddress, $0.count) }
        close(conn)
    }

    static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 { return i }
        return nil
    }

    /// Stops listening and closes held connections.
    public func stop() {
        let toClose: [Int32]? = lock.withLock {
            if stopped { return nil }
            stopped = true
            defer { held = [] }
            return held
        }
        // Closing twice could close a descriptor number another server has since been given.
        guard let toClose else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        for c in toClose { close(c) }
    }

    deinit { stop() }
}
