namespace DnsFp.Agent.Spool;

/// <summary>
/// One agent per state folder: two agents appending to one spool and saving one set of positions would corrupt
/// both. A second agent (say, started while an orphan of "dotnet run" still runs) waits until the first is gone.
/// Uses a POSIX record lock (fcntl), which the kernel drops when the holder dies, even by SIGKILL.
/// </summary>
internal sealed class StateDirectoryLock : IDisposable
{
    private readonly FileStream _file;

    private StateDirectoryLock(FileStream file) => _file = file;

    public static StateDirectoryLock Acquire(string stateDirectory, Action<string> waiting)
    {
        Directory.CreateDirectory(stateDirectory);
        string path = Path.Combine(stateDirectory, "agent.lock");
        bool told = false;
        while (true)
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            try
            {
                if (OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD() || OperatingSystem.IsWindows()) file.Lock(0, 1);
                file.SetLength(0);
                var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
                file.Write(pid);
                file.Flush();
                return new StateDirectoryLock(file);
            }
            catch (IOException)
            {
                file.Dispose();
                if (!told) waiting($"another dnsfp-agent (pid {ReadPid(path)}) uses {stateDirectory}; waiting for it to stop");
                told = true;
                Thread.Sleep(1000);
            }
        }
    }

    private static string ReadPid(string path)
    {
        try { return File.ReadAllText(path).Trim(); } catch (IOException) { return "?"; }
    }

    public void Dispose() => _file.Dispose();
}
