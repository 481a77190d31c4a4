// Coverage of the contracts users meet: test-only tokens and benchmark references are left out.
module.exports = {
  skipFiles: ["mocks/", "bench/", "interfaces/"],
  istanbulReporter: ["text-summary", "json-summary", "lcov"],
};
