public import Foundation
import Glibc

/// Reads an operator's file with a reason a person can act on when it cannot be read:
/// Foundation's errors say "(NSCocoaErrorDomain error 256.)" for a directory.
public enum LocalFile {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Larger is no configuration, provider or price file (and `/dev/zero` never ends).
    public static let maximumBytes = 256 << 20

    /// The bytes of the file at `path` (symbolic links followed). A pipe (`<(…)`, `/dev/stdin`)
    /// is read to its end; one with nothing to read (no writer) is refused, never waited on.
    public static func data(_ path: String) throws(Failure) -> Data {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw opening(errno) }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw opening(errno) }
        let kind = status.st_mode & S_IFMT
        if kind == S_IFDIR { throw Failure(description: "is a directory, not a file") }
        if kind == S_IFREG, Int(status.st_size) > maximumBytes { throw tooLarge }
        // Opened without blocking so a FIFO with no writer cannot hang the open; reads block.
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == 0 else {
            throw Failure(description: "cannot be read: \(String(cString: strerror(errno)).lowercased())")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 {
                // A spent pipe (a `<(…)` read once already, on a reload) must not read as an
                // empty file, which a configuration would take for "all defaults".
                guard kind == S_IFREG || !data.isEmpty else {
                    throw Failure(description: "is a pipe or device with nothing to read (its writer is gone or never wrote)")
                }
                return data
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "cannot be read: \(String(cString: strerror(errno)).lowercased())")
            }
            data.append(contentsOf: buffer[0..<count])
            guard data.count <= maximumBytes else { throw tooLarge }
        }
    }

    private static var tooLarge: Failure { Failure(description: "is larger than \(maximumBytes >> 20) MB") }

    private static func opening(_ code: Int32) -> Failure {
        code == ENOENT ? Failure(description: "does not exist") : Failure(description: "cannot be opened: \(String(cString: strerror(code)).lowercased())")
    }

    /// The UTF-8 text of the file at `path`.
    public static func text(_ path: String) throws(Failure) -> String {
        let bytes = try data(path)
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        // One forward pass to name the first byte that is not UTF-8.
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
        throw Failure(description: "is not UTF-8 text (an invalid byte sequence at byte \(offset))")
    }
}
