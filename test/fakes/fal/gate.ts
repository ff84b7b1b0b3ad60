/** Something a test holds shut and opens later; whatever waits on it goes on once it opens, and so does all that comes after. */
export interface Gate {
  readonly isOpen: boolean;
  /** Settles when the gate opens. */
  readonly opened: Promise<void>;
  open(): void;
}

export function createGate(): Gate {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  const gate = {
    isOpen: false,
    opened,
    open() {
      gate.isOpen = true;
      open();
    },
  };
  return gate;
}
