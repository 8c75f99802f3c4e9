using System.Runtime.Versioning;

// The writer and the real-manager tests use Unix file modes, signals and /proc.
[assembly: SupportedOSPlatform("linux")]
