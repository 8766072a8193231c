namespace ContentWatch.Core.Intake;

/// <summary>A problem with one field of one input; <see cref="Field"/> is a path such as <c>[3].url</c> or <c>reporter.email</c>.</summary>
public sealed record FieldError(string Field, string Message);
