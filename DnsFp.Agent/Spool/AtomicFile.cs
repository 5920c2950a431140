namespace DnsFp.Agent.Spool;

/// <summary>Replaces a small state file so that a crash leaves either the old or the new content, never a mix.</summary>
internal static class AtomicFile
{
    public static void Write(string path, string content)
    {
        string temp = path + ".tmp";
        using (var s = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(content);
            s.Write(bytes);
            s.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }
}
