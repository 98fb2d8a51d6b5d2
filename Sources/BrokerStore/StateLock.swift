import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on a daemon's state directory, held for the life of the process.
///
/// A second `tokenbrokerd` on the same database must refuse to start rather than race the
/// first one's writes or, worse, take over its Unix socket (Hummingbird's bind silently
/// replaces a live socket file). `flock` is released by the kernel when the process dies, so
/// a crash never leaves a stale lock behind.
public final class StateLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or throws at once, naming the process that holds it when it is known.
    public init(path: String) throws(StoreError) {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(operation: "lock \(path)", message: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readHolder(descriptor)
            close(descriptor)
            throw StoreError(
                operation: "lock \(path)",
                message: "another tokenbrokerd\(holder.map { " (pid \($0))" } ?? "") is using this state; stop it first")
        }
        self.descriptor = descriptor
        // Record who holds it, for the message the next one prints.
        ftruncate(descriptor, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { pwrite(descriptor, $0, strlen($0), 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private static func readHolder(_ descriptor: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
