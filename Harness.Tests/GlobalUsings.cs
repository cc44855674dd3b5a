// Every test file asserts with FluentAssertions under NUnit, and most work on the model types and torch tensors.
global using FluentAssertions;
global using Harness.Model;
global using NUnit.Framework;
