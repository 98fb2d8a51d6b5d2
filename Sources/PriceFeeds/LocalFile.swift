public import Foundation
import Glibc

/// Reads an operator's file with a reason a person can act on when it cannot be read:
/// Foundation's errors say "(NSCocoaErrorDomain error 256.)" for a directory, and "you don't
/// have permission" for a FIFO.
public enum LocalFile {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The bytes of the regular file at `path` (symbolic links followed).
    public static func data(_ path: String) throws(Failure) -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else { throw opening(errno) }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw Failure(description: "is a directory, not a file")
        default: throw Failure(description: "is not a regular file (a FIFO, socket or device)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw opening(errno) }
        defer { try? handle.close() }
        do {
            return try handle.readToEnd() ?? Data()
        } catch {
            throw Failure(description: "cannot be read: \(error.localizedDescription)")
        }
    }

    private static func opening(_ code: Int32) -> Failure {
        code == ENOENT ? Failure(description: "does not exist") : Failure(description: "cannot be opened: \(String(cString: strerror(code)).lowercased())")
    }

    /// The UTF-8 text of the regular file at `path`.
    public static func text(_ path: String) throws(Failure) -> String {
        let bytes = try data(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let valid = bytes.withUnsafeBytes { raw in
                (0...raw.count).last { String(validating: raw.prefix($0), as: UTF8.self) != nil } ?? 0
            }
            throw Failure(description: "is not UTF-8 text (an invalid byte sequence at byte \(valid))")
        }
        return text
    }
}
