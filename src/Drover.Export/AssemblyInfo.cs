using System.Runtime.Versioning;

// The writer sets Unix file modes; Drover runs on Linux (and exports for macOS's launchd from there).
[assembly: SupportedOSPlatform("linux")]
