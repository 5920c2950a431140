using System.Security.Cryptography;
using System.Text;

namespace DnsFp.Agent.Following;

/// <summary>
/// Follows a log like "tail -F", across both kinds of rotation, and resumes exactly where it stopped:
/// <list type="bullet">
/// <item>rename-and-create: the open handle still reads the renamed file to its end, then the new file is read from 0;</item>
/// <item>copytruncate: the file shrinks under the handle; the rest of our lines are in the copy, a sibling
/// ("mainlog.1", "mainlog-20261127") whose first line matches our identity, read from our offset; then the new content;</item>
/// <item>a restart after either: the saved identity finds the right file among the path and its siblings.</item>
/// </list>
/// Only complete lines are returned; a line being written waits. The caller spools the facts of a batch, then
/// calls <see cref="Commit"/> to save the position.
/// </summary>
internal sealed class LogFollower : IDisposable
{
    private const int MaxLineBytes = 64 * 1024;
    private readonly string _path;
    private readonly string _positionPath;
    private FileStream? _stream;
    private string? _identity;
    private long _offset;

    public LogFollower(string path, string positionPath)
    {
        _path = path;
        _positionPath = positionPath;
        Committed = FollowPosition.Load(positionPath);
        _identity = Committed.Identity;
        _offset = Committed.Offset;
    }

    public FollowPosition Committed { get; private set; }

    public string Path => _path;

    /// <summary>Reads up to <paramref name="maxLines"/> new complete lines (none when there are none yet).</summary>
    public List<FollowedLine> ReadBatch(int maxLines)
    {
        var lines = new List<FollowedLine>();
        if (_stream is null && !OpenCurrent()) return lines;

        // copytruncate rewrites the file in place: is the content under our handle still the file we were reading?
        if (_identity is not null && (_stream!.Length < _offset || FirstLineHash(_stream) is { } now && now != _identity))
        {
            var copy = FindSibling(_identity);
            if (copy is not null && copy.Length > _offset)
            {
                using var s = Open(copy);
                ReadLinesFrom(s, lines, maxLines);
                if (lines.Count > 0) return lines;
            }
            Restart();                                   // same handle, new content, from its first byte
        }
        ReadLinesFrom(_stream!, lines, maxLines);
        if (lines.Count > 0) return lines;

        // rename-and-create: the path names a new file; ours is read to its very end first, then the file rotated
        // in after ours (a sibling if several rotations happened while we were behind, else the path)
        var current = IdentityOf(_path);
        if (current.Exists && current.Identity is not null && _identity is not null && current.Identity != _identity)
        {
            ReadLinesFrom(_stream!, lines, maxLines);
            if (lines.Count > 0) return lines;
            // the handle's own time: its name now names the new file, whose time would skip the files between
            var next = NextInRotation(File.GetLastWriteTimeUtc(_stream!.SafeFileHandle));
            _stream.Dispose();
            _stream = null;
            Restart();
            _stream = next is null ? null : Open(next);
            if (_stream is not null || OpenCurrent()) ReadLinesFrom(_stream!, lines, maxLines);
        }
        return lines;
    }

    /// <summary>Saves the position after the last batch; <paramref name="readerState"/> goes with it.</summary>
    public void Commit(Dictionary<string, string>? readerState = null)
    {
        Committed = new FollowPosition(_identity, _offset, readerState);
        Committed.Save(_positionPath);
    }

    private void ReadLinesFrom(FileStream stream, List<FollowedLine> lines, int maxLines)
    {
        stream.Seek(_offset, SeekOrigin.Begin);
        var buffer = new byte[64 * 1024];
        var line = new List<byte>(256);
        long lineStart = _offset, pos = _offset;
        while (lines.Count < maxLines)
        {
            int n = stream.Read(buffer, 0, buffer.Length);
            if (n == 0) break;
            for (int i = 0; i < n && lines.Count < maxLines; i++)
            {
                pos++;
                if (buffer[i] != '\n')
                {
                    if (line.Count < MaxLineBytes) line.Add(buffer[i]);
                    continue;
                }
                if (_identity is null && lineStart == 0) _identity = Hash(line);
                lines.Add(new FollowedLine(Encoding.UTF8.GetString([.. line]).TrimEnd('\r'), LineId(lineStart)));
                line.Clear();
                lineStart = pos;
                _offset = pos;
            }
        }
    }

    private string LineId(long offset) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{_identity}@{offset}")).AsSpan(0, 12));

    /// <summary>Opens the file our identity names: the path itself, or, after a restart, the rotated sibling that
    /// still holds our unread lines.</summary>
    private bool OpenCurrent()
    {
        var current = IdentityOf(_path);
        if (!current.Exists) return false;
        if (_identity is not null && current.Identity != _identity)
        {
            var sibling = FindSibling(_identity);
            if (sibling is not null && sibling.Length > _offset)
            {
                _stream = Open(sibling);
                return true;
            }
            // ours is fully read: a file rotated in after it (several rotations while we were stopped) comes
            // before the path; ours gone altogether leaves only the path
            var next = sibling is null ? null : NextInRotation(sibling.LastWriteTimeUtc);
            Restart();
            if (next is not null)
            {
                _stream = Open(next);
                return true;
            }
        }
        _stream = Open(new FileInfo(_path));
        return true;
    }

    private void Restart()
    {
        _identity = null;
        _offset = 0;
    }

    private static string? FirstLineHash(FileStream stream)
    {
        stream.Seek(0, SeekOrigin.Begin);
        return ReadFirstLineHash(stream);
    }

    private FileInfo? FindSibling(string? identity) =>
        identity is null ? null : Siblings().OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault(f => IdentityOf(f.FullName).Identity == identity);

    /// <summary>The oldest rotated sibling written after <paramref name="after"/>: the file that came after ours.</summary>
    private FileInfo? NextInRotation(DateTime after) => Siblings()
        .Where(f => f.LastWriteTimeUtc > after)
        .OrderBy(f => f.LastWriteTimeUtc)
        .FirstOrDefault();

    private IEnumerable<FileInfo> Siblings()
    {
        var dir = new DirectoryInfo(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path))!);
        string name = System.IO.Path.GetFileName(_path);
        return dir.EnumerateFiles(name + "*").Where(f => f.Name != name && !f.Name.EndsWith(".gz", StringComparison.Ordinal)
            && !f.Name.EndsWith(".bz2", StringComparison.Ordinal) && !f.Name.EndsWith(".xz", StringComparison.Ordinal)
            && !f.Name.EndsWith(".zst", StringComparison.Ordinal) && !f.Name.EndsWith(".position", StringComparison.Ordinal));
    }

    private static (bool Exists, string? Identity) IdentityOf(string path)
    {
        try
        {
            using var s = Open(new FileInfo(path));
            return (true, ReadFirstLineHash(s));
        }
        catch (FileNotFoundException) { return (false, null); }
        catch (DirectoryNotFoundException) { return (false, null); }
    }

    /// <summary>Hash of the first line; null while the file has no complete line yet.</summary>
    private static string? ReadFirstLineHash(FileStream s)
    {
        var first = new List<byte>(256);
        int b;
        while ((b = s.ReadByte()) >= 0)
        {
            if (b == '\n') return Hash(first);
            if (first.Count < MaxLineBytes) first.Add((byte)b);
        }
        return null;
    }

    private static FileStream Open(FileInfo file) =>
        new(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);

    private static string Hash(List<byte> firstLine) => Convert.ToHexStringLower(SHA256.HashData([.. firstLine]).AsSpan(0, 8));

    public void Dispose() => _stream?.Dispose();
}
