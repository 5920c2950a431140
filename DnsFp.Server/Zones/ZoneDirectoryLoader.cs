namespace DnsFp.Server.Zones;

/// <summary>Loads every "*.zone" file of a folder. The file name without ".zone" is the default $ORIGIN.</summary>
internal static class ZoneDirectoryLoader
{
    public static ZoneSet Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"zone folder '{Path.GetFullPath(directory)}' does not exist (set --zones or Server:Zones)");
        var files = Directory.GetFiles(directory, "*.zone").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
            throw new FileNotFoundException($"zone folder '{Path.GetFullPath(directory)}' has no *.zone files; dnsfp needs at least one to know its zone");
        var zones = new List<Zone>();
        foreach (var file in files)
        {
            var zone = MasterFileParser.Parse(File.ReadAllText(file), Path.GetFileNameWithoutExtension(file), Path.GetFileName(file));
            if (zones.Any(z => z.Name.Equals(zone.Name, StringComparison.OrdinalIgnoreCase)))
                throw new FormatException($"{Path.GetFileName(file)}: zone '{zone.Name}' is defined twice");
            zones.Add(zone);
        }
        return new ZoneSet(zones);
    }
}
