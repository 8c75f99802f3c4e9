using System.Runtime.Versioning;

// Drover's process layer is Linux-only by design (posix_spawn flags, prctl, eventfd).
[assembly: SupportedOSPlatform("linux")]

// The log tail's bounding is unit-tested without a server.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Drover.Dashboard.Tests")]
