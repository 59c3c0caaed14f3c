/** Types for the parts of asl-validator (an Amazon States Language validator) the tests use. */
declare module "asl-validator" {
  interface ValidationResult {
    readonly isValid: boolean;
    readonly errors: readonly { readonly "Error code": string; readonly Message: string }[];
    errorsText(separator?: string): string;
  }

  function validator(
    definition: unknown,
    options?: { readonly checkPaths?: boolean; readonly checkArn?: boolean },
  ): ValidationResult;
  export = validator;
}
