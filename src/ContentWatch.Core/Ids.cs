namespace ContentWatch.Core;

/// <summary>Identifiers: time-ordered GUIDs (version 7) as 32 lower-case hex digits.</summary>
public static class Ids
{
    public static string New() => Guid.CreateVersion7().ToString("N");
}
