import { describe, expect, it } from "vitest";
import { render } from "@testing-library/react";
import { Markdown, parseMarkdown } from "./markdown";

const guide = `# Exchanges

Perks tokens are **plain** ERC-20: see [the list](https://tokenlists.org).

- one
- two with \`code\`

1. first
2. second

| Event | Meaning |
| --- | --- |
| BidPosted | a bid |

\`\`\`ts
postBid(clients, params);
\`\`\`
`;

describe("Markdown", () => {
  it("parses the blocks a guide uses", () => {
    expect(parseMarkdown(guide).map((block) => block.type)).toEqual(["heading", "paragraph", "list", "list", "table", "code"]);
  });

  it("renders them as elements, headings one level below the page's h1, links only to safe targets", () => {
    const { container } = render(<Markdown source={`${guide}\n[bad](javascript:alert(1))`} />);
    expect(container.querySelector("h2")?.textContent).toBe("Exchanges");
    expect(container.querySelector("strong")?.textContent).toBe("plain");
    expect(container.querySelector("a")?.getAttribute("href")).toBe("https://tokenlists.org");
    expect(container.querySelectorAll("a")).toHaveLength(1);
    expect(container.querySelector("ol")?.children).toHaveLength(2);
    expect(container.querySelector("td")?.textContent).toBe("BidPosted");
    expect(container.querySelector("pre code")?.textContent).toBe("postBid(clients, params);");
  });
});
